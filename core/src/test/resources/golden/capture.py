#!/usr/bin/env python3
"""Captures golden HarmonyLite change messages. See README.md. Usage: capture.py OUT_DIR (false|true)"""
import base64, json, os, socket, sqlite3, subprocess, sys, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../../../.."))
BIN = os.path.join(ROOT, ".tools/bin")
OUT, COMPRESS = sys.argv[1], sys.argv[2] == "true"
PORT = 14222 + (1 if COMPRESS else 0)
WRITER_ID, REPLICA_ID = 18446744073709551557, 2   # writer id is above 2^63
SHARDS = 4
WORK = os.path.join("/tmp", "tm-golden-" + sys.argv[2])
STREAM = "harmonylite-changes" + ("-c" if COMPRESS else "")
SCHEMA = [
    "CREATE TABLE t_int (id INTEGER PRIMARY KEY, name TEXT, data BLOB, r REAL, big INTEGER)",
    "CREATE TABLE t_rowid (name TEXT, v INTEGER)",
    "CREATE TABLE t_comp (a TEXT, b INTEGER, v TEXT, PRIMARY KEY (a, b))",
    "CREATE TABLE t_time (id INTEGER PRIMARY KEY, at DATETIME, ts TIMESTAMP)",
    "CREATE TABLE t_nullpk (k TEXT PRIMARY KEY, v TEXT)",
    "CREATE TABLE t_sort (\"\uff61\" TEXT, \"\U0001F600\" TEXT, v TEXT, PRIMARY KEY (\"\uff61\", \"\U0001F600\"))",
]
STEPS = [
    ("int_insert", "INSERT INTO t_int VALUES (1, 'h\u00e9llo \u65e5\u672c \U0001F600', x'00ff10', 0.0, 9223372036854775807)"),
    ("int_update_neg_zero", "UPDATE t_int SET r = -0.0, big = -9223372036854775808 WHERE id = 1"),
    ("real_max", "INSERT INTO t_int (id, r) VALUES (2, 1e308)"),
    ("real_min_subnormal", "INSERT INTO t_int (id, r) VALUES (3, 5e-324)"),
    ("real_pos_inf", "INSERT INTO t_int (id, r) VALUES (4, 9e999)"),
    ("real_neg_inf", "INSERT INTO t_int (id, r) VALUES (5, -9e999)"),
    ("real_nan_null", "INSERT INTO t_int (id, r) VALUES (6, 0.0/0.0)"),
    ("empty_blob_nulls", "INSERT INTO t_int (id, name, data, r, big) VALUES (8, NULL, x'', NULL, NULL)"),
    ("int_delete", "DELETE FROM t_int WHERE id = 2"),
    ("rowid_insert", "INSERT INTO t_rowid VALUES ('no pk', 42)"),
    ("rowid_update", "UPDATE t_rowid SET v = 43 WHERE name = 'no pk'"),
    ("rowid_delete", "DELETE FROM t_rowid WHERE name = 'no pk'"),
    ("comp_insert", "INSERT INTO t_comp VALUES ('k\u00fc', 7, 'x')"),
    ("comp_delete", "DELETE FROM t_comp WHERE a = 'k\u00fc' AND b = 7"),
    ("time_offset", "INSERT INTO t_time VALUES (1, '2024-03-10 12:34:56.789+05:30', '2024-03-10T01:02:03-08:00')"),
    ("time_utc_z", "INSERT INTO t_time VALUES (2, '2024-03-10 12:34:56Z', '2024-03-10 12:34:56.123456789')"),
    ("time_unix_int", "INSERT INTO t_time VALUES (3, 1700000000, 1700000000123)"),
    ("time_unparsable", "INSERT INTO t_time VALUES (4, 'not a time', NULL)"),
    ("nullpk_insert", "INSERT INTO t_nullpk VALUES (NULL, 'null key')"),
    ("nullpk_delete", "DELETE FROM t_nullpk WHERE k IS NULL"),
    ("sort_insert", "INSERT INTO t_sort VALUES ('a', 'b', 'v')"),
    # Last: every node (the writer too) fails to decode this message and terminates.
    ("invalid_utf8_text", "INSERT INTO t_int (id, name) VALUES (7, CAST(x'fffe41' AS TEXT))"),
]

def nats_request(subject, body):
    s = socket.create_connection(("127.0.0.1", PORT)); f = s.makefile("rb")
    f.readline()
    s.sendall(b'CONNECT {"verbose":false,"headers":true}\r\nSUB _INBOX.cap 1\r\n')
    s.sendall(b"PUB %s _INBOX.cap %d\r\n%s\r\n" % (subject.encode(), len(body), body))
    while True:
        line = f.readline().decode()
        if line.startswith("PING"): s.sendall(b"PONG\r\n"); continue
        if line.startswith("MSG"):
            n = int(line.split()[-1]); data = f.read(n + 2)[:n]; s.close(); return json.loads(data)

def stream_msgs(shard):
    info = nats_request("$JS.API.STREAM.INFO.%s-%d" % (STREAM, shard), b"")
    return info.get("state", {}).get("messages", 0)

def get_msg(shard, seq):
    r = nats_request("$JS.API.STREAM.MSG.GET.%s-%d" % (STREAM, shard), json.dumps({"seq": seq}).encode())
    return base64.b64decode(r["message"]["data"])

def node(name, node_id, tz):
    d = os.path.join(WORK, name); os.makedirs(d)
    db = os.path.join(d, "db.sqlite")
    c = sqlite3.connect(db)
    for s in SCHEMA: c.execute(s)
    c.commit(); c.close()
    with open(os.path.join(d, "config.toml"), "w") as f:
        f.write('db_path="%s"\nseq_map_path="%s/seq-map.cbor"\nnode_id=1\n[nats]\nurls=["nats://127.0.0.1:%d"]\n'
                '[replication_log]\nshards=%d\ncompress=%s\n[snapshot]\nenabled=false\n' % (db, d, PORT, SHARDS, sys.argv[2]))
    log = open(os.path.join(d, "node.log"), "w")
    p = subprocess.Popen([BIN + "/harmonylite", "-config", d + "/config.toml", "-node-id", str(node_id)],
                         stdout=log, stderr=log, env=dict(os.environ, TZ=tz))
    return p, db

def dump(db):
    c = sqlite3.connect(db); out = {}
    for s in SCHEMA:
        t = s.split()[2]
        cols = [r[1] for r in c.execute("PRAGMA table_info(%s)" % t)]
        sel = ", ".join("typeof(\"%s\"), hex(\"%s\")" % (x, x) for x in cols)
        out[t] = [dict(zip(cols, [[r[i], r[i + 1]] for i in range(0, len(r), 2)]))
                  for r in c.execute("SELECT %s FROM %s ORDER BY rowid" % (sel, t))]
    c.close(); return out

def main():
    subprocess.run(["rm", "-rf", WORK]); os.makedirs(WORK); os.makedirs(OUT, exist_ok=True)
    ns = subprocess.Popen([BIN + "/nats-server", "-js", "-a", "127.0.0.1", "-p", str(PORT), "-sd", WORK + "/js"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    writer, wdb = node("writer", WRITER_ID, "Asia/Kolkata")
    replica, rdb = node("replica", REPLICA_ID, "America/Sao_Paulo")
    time.sleep(10)  # trigger installation must finish before the first write
    seen = {s: 0 for s in range(1, SHARDS + 1)}; vectors = []
    try:
        for name, sql in STEPS:
            c = sqlite3.connect(wdb); c.execute(sql); c.commit(); c.close()
            deadline, got = time.time() + 15, []
            while time.time() < deadline and not got:
                time.sleep(0.3)
                for s in seen:
                    n = stream_msgs(s)
                    while seen[s] < n:
                        seen[s] += 1; got.append((s, seen[s]))
            if not got: raise SystemExit("no message for " + name)
            time.sleep(0.5)
            for i, (s, seq) in enumerate(got):
                fn = "%s%s.%s" % (name, "" if i == 0 else "_%d" % i, "zst" if COMPRESS else "cbor")
                open(os.path.join(OUT, fn), "wb").write(get_msg(s, seq))
                vectors.append({"file": fn, "sql": sql, "shard": s, "seq": seq, "node_id": str(WRITER_ID)})
        time.sleep(3)
        meta = {"harmonylite": "v0.10.0", "nats_server": "v2.12.3", "shards": SHARDS, "compress": COMPRESS,
                "writer": {"node_id": str(WRITER_ID), "TZ": "Asia/Kolkata"},
                "replica": {"node_id": str(REPLICA_ID), "TZ": "America/Sao_Paulo"},
                "schema": SCHEMA, "vectors": vectors, "writer_db": dump(wdb), "replica_db": dump(rdb)}
        json.dump(meta, open(os.path.join(OUT, "capture-%s.json" % ("zstd" if COMPRESS else "cbor")), "w"),
                  indent=1, ensure_ascii=False)
    finally:
        for p in (writer, replica, ns): p.terminate()
        for p in (writer, replica, ns): p.wait()

main()
