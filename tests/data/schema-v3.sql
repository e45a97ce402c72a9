-- tests/data/schema-v3.sql: a database as tambuli schema version 3
-- wrote it (the first three migrations of db/db.c), with two members, one opted out.
-- tests/regress/upgrade.sh loads it with the sqlite3 shell.
BEGIN TRANSACTION;
CREATE TABLE broadcast_variants (  broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),  language TEXT NOT NULL,  text TEXT NOT NULL,  PRIMARY KEY (broadcast_id, language)) WITHOUT ROWID;
CREATE TABLE broadcasts (  id INTEGER PRIMARY KEY,  text TEXT NOT NULL,  list_id INTEGER NOT NULL REFERENCES lists(id),  priority INTEGER NOT NULL DEFAULT 0,  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'done',    'cancelled')),  created_at INTEGER NOT NULL,  scheduled_at INTEGER NOT NULL,  expires_at INTEGER,  recipients INTEGER NOT NULL DEFAULT 0,  encoding TEXT,  segments INTEGER);
CREATE TABLE consent_events (  id INTEGER PRIMARY KEY,  phone TEXT NOT NULL,  event TEXT NOT NULL CHECK (event IN ('opt-in', 'opt-out',    'removed', 'language')),  list TEXT,  keyword TEXT,  text TEXT,  source TEXT NOT NULL,  at INTEGER NOT NULL);
INSERT INTO "consent_events" VALUES(1,'+14155550102','opt-out',NULL,'STOP','STOP','sms',1764000100);
CREATE TABLE inbound_done (  phone TEXT NOT NULL,  ref INTEGER NOT NULL,  parts INTEGER NOT NULL,  part INTEGER NOT NULL,  text TEXT NOT NULL,  done_at INTEGER NOT NULL,  PRIMARY KEY (phone, ref, parts, part)) WITHOUT ROWID;
CREATE TABLE inbound_parts (  id INTEGER PRIMARY KEY,  phone TEXT NOT NULL,  ref INTEGER NOT NULL,  parts INTEGER NOT NULL,  part INTEGER NOT NULL,  text TEXT NOT NULL,  received_at INTEGER NOT NULL,  modem TEXT,  UNIQUE (phone, ref, parts, part));
CREATE TABLE inbox (  id INTEGER PRIMARY KEY,  phone TEXT NOT NULL,  text TEXT NOT NULL,  received_at INTEGER NOT NULL,  modem TEXT,  keyword TEXT,  flags TEXT NOT NULL DEFAULT '',  handled INTEGER NOT NULL DEFAULT 0);
INSERT INTO "inbox" VALUES(1,'+14155550101','hola',1764000050,'modem1',NULL,'',0);
CREATE TABLE lists (  id INTEGER PRIMARY KEY,  name TEXT NOT NULL UNIQUE,  created_at INTEGER NOT NULL);
INSERT INTO "lists" VALUES(1,'default',0);
CREATE TABLE memberships (  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id)    ON DELETE CASCADE,  list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,  joined_at INTEGER NOT NULL,  PRIMARY KEY (list_id, subscriber_id)) WITHOUT ROWID;
INSERT INTO "memberships" VALUES(1,1,1764000000);
CREATE TABLE outbox (  id INTEGER PRIMARY KEY,  broadcast_id INTEGER REFERENCES broadcasts(id),  phone TEXT NOT NULL,  text TEXT,  kind TEXT NOT NULL CHECK (kind IN ('alert', 'reply', 'system',    'forward')),  priority INTEGER NOT NULL DEFAULT 0,  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent',    'delivered', 'failed', 'expired', 'skipped', 'cancelled')),  attempts INTEGER NOT NULL DEFAULT 0,  next_attempt_at INTEGER NOT NULL,  expires_at INTEGER,  modem TEXT,  mr INTEGER,  error TEXT,  created_at INTEGER NOT NULL,  updated_at INTEGER NOT NULL, segments INTEGER NOT NULL DEFAULT 0);
CREATE TABLE outbox_parts (  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,  part INTEGER NOT NULL,  modem TEXT NOT NULL,  mr INTEGER NOT NULL,  phone TEXT NOT NULL,  sent_at INTEGER NOT NULL,  status INTEGER,  PRIMARY KEY (outbox_id, part)) WITHOUT ROWID;
CREATE TABLE settings (  key TEXT PRIMARY KEY,  value TEXT NOT NULL);
CREATE TABLE subscribers (  id INTEGER PRIMARY KEY,  phone TEXT NOT NULL UNIQUE,  status TEXT NOT NULL CHECK (status IN ('active', 'opted-out')),  language TEXT NOT NULL DEFAULT '',  created_at INTEGER NOT NULL,  updated_at INTEGER NOT NULL);
INSERT INTO "subscribers" VALUES(1,'+14155550101','active','es',1764000000,1764000000);
INSERT INTO "subscribers" VALUES(2,'+14155550102','opted-out','',1764000000,1764000100);
CREATE INDEX memberships_subscriber ON memberships(subscriber_id);
CREATE INDEX consent_events_phone ON consent_events(phone, at);
CREATE INDEX outbox_claim ON outbox(state, priority DESC, id);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, state);
CREATE INDEX outbox_phone ON outbox(phone, state);
CREATE INDEX outbox_modem ON outbox(modem, updated_at);
CREATE INDEX outbox_parts_mr ON outbox_parts(modem, mr, sent_at);
CREATE INDEX outbox_expiry ON outbox(expires_at)   WHERE state = 'queued' AND expires_at IS NOT NULL;
COMMIT;
PRAGMA user_version=3;
