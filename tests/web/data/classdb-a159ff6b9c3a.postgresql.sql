-- the class-mode tables as membranelab at commit a159ff6b9c3a creates them on PostgreSQL
CREATE TABLE hints (
	id SERIAL NOT NULL, 
	student VARCHAR(200) NOT NULL, 
	assignment VARCHAR(200) NOT NULL, 
	problem VARCHAR(200) NOT NULL, 
	part VARCHAR(200) NOT NULL, 
	n INTEGER NOT NULL, 
	created FLOAT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_hint UNIQUE (student, assignment, problem, part, n)
);

CREATE TABLE regrades (
	id SERIAL NOT NULL, 
	uid VARCHAR(64) NOT NULL, 
	score FLOAT NOT NULL, 
	correct BOOLEAN NOT NULL, 
	note VARCHAR(200) NOT NULL, 
	feedback TEXT NOT NULL, 
	regraded FLOAT NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_regrades_uid ON regrades (uid);

CREATE TABLE settings (
	key VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY (key)
);

CREATE TABLE students (
	student VARCHAR(200) NOT NULL, 
	name VARCHAR(400) NOT NULL, 
	token_hash VARCHAR(64), 
	created FLOAT NOT NULL, 
	PRIMARY KEY (student), 
	UNIQUE (token_hash)
);

CREATE TABLE submissions (
	id SERIAL NOT NULL, 
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
	late BOOLEAN DEFAULT false NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_seq UNIQUE (student, assignment, problem, part, seq), 
	UNIQUE (uid)
);

CREATE INDEX ix_submissions_student ON submissions (student);
