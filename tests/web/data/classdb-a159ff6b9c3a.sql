-- class-mode SQLite database made by membranelab at commit a159ff6b9c3a
-- by tests/web/data/make_classdb_fixture.py (see its docstring)
BEGIN TRANSACTION;
CREATE TABLE hints (
	id INTEGER NOT NULL, 
	student VARCHAR(200) NOT NULL, 
	assignment VARCHAR(200) NOT NULL, 
	problem VARCHAR(200) NOT NULL, 
	part VARCHAR(200) NOT NULL, 
	n INTEGER NOT NULL, 
	created FLOAT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_hint UNIQUE (student, assignment, problem, part, n)
);
INSERT INTO "hints" VALUES(1,'alice','ps1-equilibrium','nernst-potassium','E_K',1,1.79666584192475056649e+09);
INSERT INTO "hints" VALUES(2,'zhang','ps1-equilibrium','nernst-potassium','E_K',1,1.79666584217723774912e+09);
INSERT INTO "hints" VALUES(3,'zhang','ps1-equilibrium','nernst-potassium','E_K',2,1.79666584220924067495e+09);
CREATE TABLE regrades (
	id INTEGER NOT NULL, 
	uid VARCHAR(64) NOT NULL, 
	score FLOAT NOT NULL, 
	correct BOOLEAN NOT NULL, 
	note VARCHAR(200) NOT NULL, 
	feedback TEXT NOT NULL, 
	regraded FLOAT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "regrades" VALUES(1,'39f80798e106cef28afeffe95463b2811fcb9c9d3e4747f33df0851f99ebcce5',0.0,0,'value.incorrect','Not correct.',1800000000.0);
CREATE TABLE settings (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "settings" VALUES('teacher_token_hash','635471be83268926c537736d453598cdf4e02966a5f59c4fc556cc3ec4ed1c96');
INSERT INTO "settings" VALUES('csrf_secret','bf4e70b02ee6b94612114ca7dc760c9b8675361f71cbd8bb4cf08bdc6499568b');
CREATE TABLE students (
	student VARCHAR(200) NOT NULL, 
	name VARCHAR(400) NOT NULL, 
	token_hash VARCHAR(64), 
	created FLOAT NOT NULL, 
	PRIMARY KEY (student), 
	UNIQUE (token_hash)
);
INSERT INTO "students" VALUES('alice','Alice A','68015982c01cf0f6be8c6d683b966103d098b39971425c0f4a1d4657949352e4',1.7966658393509976864e+09);
INSERT INTO "students" VALUES('bob','Bob B','02175859dc6e06274bb260a769e4b85d5162b68a8f1d5fe15d997a41b9d7be20',1.79666583935737276082e+09);
INSERT INTO "students" VALUES('zhang','张伟','fd9fb8c620bad0056262275edabdddb008bfa258fef1a9a7986c3b90eac08a81',1.79666583935851860041e+09);
CREATE TABLE submissions (
	id INTEGER NOT NULL, 
	uid VARCHAR(64) NOT NULL, 
	student VARCHAR(200) NOT NULL, 
	assignment VARCHAR(200) NOT NULL, 
	problem VARCHAR(200) NOT NULL, 
	part VARCHAR(200) NOT NULL, 
	seq INTEGER NOT NULL, 
	answer TEXT NOT NULL, 
	score FLOAT NOT NULL, 
	weight FLOAT NOT NULL, 
	correct BOOLEAN NOT NULL, 
	note VARCHAR(200) NOT NULL, 
	feedback TEXT NOT NULL, 
	level VARCHAR(16) NOT NULL, 
	counted BOOLEAN NOT NULL, 
	created FLOAT NOT NULL, 
	hints INTEGER DEFAULT '0' NOT NULL, 
	late BOOLEAN DEFAULT 0 NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_seq UNIQUE (student, assignment, problem, part, seq), 
	UNIQUE (uid)
);
INSERT INTO "submissions" VALUES(1,'fe3df69df5d8dd2177bfea08bb84984f6a072bb8a14b4d6116e13d4323302d15','alice','ps1-equilibrium','nernst-potassium','E_K',1,'-60 mV',0.0,1.0,0,'value.incorrect','Not correct.','named',1,1.7966658418798351288e+09,0,0);
INSERT INTO "submissions" VALUES(2,'74327b53d205854d3b11c3513d8ddee52a786fd827f5764654a75565cfdc0a43','alice','ps1-equilibrium','nernst-potassium','E_K',2,'-90.9 mV',0.9,1.0,1,'correct','Correct. Exact value: −90.9026 mV.','named',1,1.79666584194945335383e+09,1,0);
INSERT INTO "submissions" VALUES(3,'2fc3e7054f1da304be5e21505d99b66247ddb788eddec3b77df5cf81980eeabf','alice','ps1-equilibrium','nernst-potassium','formula',1,'R*T/(z*F)*ln(c_out/c_in)',1.0,1.0,1,'correct','Correct: your formula is equivalent to the expected one.','named',1,1.796665841975045681e+09,0,0);
INSERT INTO "submissions" VALUES(4,'a481c14cb548ebb9298978d38a75dcaa01baba8599b212c363846267982b07ca','bob','ps1-equilibrium','nernst-potassium','E_K',1,'minus eighty',0.0,1.0,0,'parse.error','Start the answer with a number (column 1), e.g. 1.5 mV.
  minus eighty
  ^','named',0,1.79666584205636334424e+09,0,0);
INSERT INTO "submissions" VALUES(5,'39f80798e106cef28afeffe95463b2811fcb9c9d3e4747f33df0851f99ebcce5','bob','ps1-equilibrium','nernst-potassium','E_K',2,'-55 mV',0.5,1.0,0,'value.incorrect','Not correct.','named',1,1.79666584208898377416e+09,0,0);
INSERT INTO "submissions" VALUES(6,'1a269be8b5cfbdd92ef42abe6732c9606e11971d7eb16d27ef0759b737fb3cbf','bob','ps1-equilibrium','nernst-potassium','E_K',3,'-56 mV',0.0,1.0,0,'value.incorrect','Not correct.','named',1,1.79666584212573933604e+09,0,0);
INSERT INTO "submissions" VALUES(7,'b8d00e3bd38b2b89f8a970b96522804a50cdb6780182c30e2d7dd6c23dac15d8','zhang','ps1-equilibrium','nernst-potassium','direction',1,'out of the cell',1.0,1.0,1,'correct','Correct: out of the cell.','named',1,1.79666584223962020878e+09,0,0);
CREATE INDEX ix_submissions_student ON submissions (student);
CREATE INDEX ix_regrades_uid ON regrades (uid);
COMMIT;
