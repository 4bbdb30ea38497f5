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
INSERT INTO "hints" VALUES(1,'alice','ps1-equilibrium','nernst-potassium','E_K',1,1.79666592723249721524e+09);
INSERT INTO "hints" VALUES(2,'zhang','ps1-equilibrium','nernst-potassium','E_K',1,1.79666592757802653316e+09);
INSERT INTO "hints" VALUES(3,'zhang','ps1-equilibrium','nernst-potassium','E_K',2,1.7966659276426193714e+09);
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
INSERT INTO "regrades" VALUES(1,'7f299f9f4af9043441c20882913ee0d4ea3bce1b169b6627e09d3119548c1fd0',0.0,0,'value.incorrect','Not correct.',1800000000.0);
CREATE TABLE settings (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "settings" VALUES('teacher_token_hash','635471be83268926c537736d453598cdf4e02966a5f59c4fc556cc3ec4ed1c96');
INSERT INTO "settings" VALUES('csrf_secret','3b1afb6fcc4335071f641f97326a9a856947eb22215b1dcf2169587f4ad0e8d6');
CREATE TABLE students (
	student VARCHAR(200) NOT NULL, 
	name VARCHAR(400) NOT NULL, 
	token_hash VARCHAR(64), 
	created FLOAT NOT NULL, 
	PRIMARY KEY (student), 
	UNIQUE (token_hash)
);
INSERT INTO "students" VALUES('alice','Alice A','68015982c01cf0f6be8c6d683b966103d098b39971425c0f4a1d4657949352e4',1.7966659213551928997e+09);
INSERT INTO "students" VALUES('bob','Bob B','02175859dc6e06274bb260a769e4b85d5162b68a8f1d5fe15d997a41b9d7be20',1.796665921368046999e+09);
INSERT INTO "students" VALUES('zhang','张伟','fd9fb8c620bad0056262275edabdddb008bfa258fef1a9a7986c3b90eac08a81',1.79666592138116884233e+09);
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
INSERT INTO "submissions" VALUES(1,'62f600c1eafa672a942df148c29e3a555597fd651e81bbb89ab42b8b654368ff','alice','ps1-equilibrium','nernst-potassium','E_K',1,'-60 mV',0.0,1.0,0,'value.incorrect','Not correct.','named',1,1.79666592718097352984e+09,0,0);
INSERT INTO "submissions" VALUES(2,'c692482cf5194910a1fff5dafbe1dbddeafd4ab2bd8080a0a394ad2cf7903fdf','alice','ps1-equilibrium','nernst-potassium','E_K',2,'-90.9 mV',0.9,1.0,1,'correct','Correct. Exact value: −90.9026 mV.','named',1,1.79666592729971385002e+09,1,0);
INSERT INTO "submissions" VALUES(3,'2a6077f8395da4d138037a3a65c257332f20fec3d25319b5ac319ea9074e1980','alice','ps1-equilibrium','nernst-potassium','formula',1,'R*T/(z*F)*ln(c_out/c_in)',1.0,1.0,1,'correct','Correct: your formula is equivalent to the expected one.','named',1,1.79666592735002040867e+09,0,0);
INSERT INTO "submissions" VALUES(4,'7a1b04d6a1a344777c0e2ba5221a5901d47d415ba0f5b93937ff99358aff278b','bob','ps1-equilibrium','nernst-potassium','E_K',1,'minus eighty',0.0,1.0,0,'parse.error','Start the answer with a number (column 1), e.g. 1.5 mV.
  minus eighty
  ^','named',0,1.79666592740507078166e+09,0,0);
INSERT INTO "submissions" VALUES(5,'7f299f9f4af9043441c20882913ee0d4ea3bce1b169b6627e09d3119548c1fd0','bob','ps1-equilibrium','nernst-potassium','E_K',2,'-55 mV',0.5,1.0,0,'value.incorrect','Not correct.','named',1,1.79666592744985127447e+09,0,0);
INSERT INTO "submissions" VALUES(6,'47d7de57b2c6a338c13f1ffb91df4aae8fffddd06a2ad525adf11012b46622f8','bob','ps1-equilibrium','nernst-potassium','E_K',3,'-56 mV',0.0,1.0,0,'value.incorrect','Not correct.','named',1,1.79666592751495051384e+09,0,0);
INSERT INTO "submissions" VALUES(7,'edd5bcdaee3ca72e3a64f355cc3b6e72207ea457ffcc42ff5fc1272c3f47303d','zhang','ps1-equilibrium','nernst-potassium','direction',1,'out of the cell',1.0,1.0,1,'correct','Correct: out of the cell.','named',1,1.796665927703984499e+09,0,0);
CREATE INDEX ix_submissions_student ON submissions (student);
CREATE INDEX ix_regrades_uid ON regrades (uid);
COMMIT;
