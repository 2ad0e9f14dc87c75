-- The schema `tidemark load` writes to (its workload generator's tables): seed with
-- tidemark snapshot seed --config examples/tidemark.toml --schema examples/schema.sql
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, balance REAL,
  avatar BLOB, created_at DATETIME);
CREATE TABLE orders (user_id INTEGER NOT NULL, order_no INTEGER NOT NULL, amount REAL, note TEXT,
  placed_at DATETIME, PRIMARY KEY (user_id, order_no));
CREATE TABLE audit_log (kind TEXT, detail BLOB, at DATETIME);
CREATE TABLE settings (k TEXT PRIMARY KEY, v);
CREATE INDEX orders_by_placed ON orders (placed_at);
