// The demo gateway's API keys in SQLite: Node's built-in node:sqlite where this Node has it (22.13
// and later, 24), otherwise sql.js (SQLite compiled to WebAssembly: no native build). A row holds
// the key ID and the SHA-256 of the secret (hashApiKeySecret), never the secret itself.
export async function openKeyStore() {
  const db = await openDatabase();
  db.exec(`CREATE TABLE api_keys (
    key_id      TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    created_by  TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0
  )`);
  return {
    /** 'node:sqlite' or 'sql.js'. */
    engine: db.engine,
    /** Stores a key issued by generateApiKey() (or { keyId, secretHash } from elsewhere). */
    add({ keyId, secretHash }, createdBy = null) {
      db.run('INSERT INTO api_keys (key_id, secret_hash, created_by) VALUES (?, ?, ?)', keyId, secretHash, createdBy);
    },
    /** What apiKeyMiddleware's lookup() needs: { keyId, secretHash }, or undefined for an unknown or revoked key. */
    lookup(keyId) {
      return db.get('SELECT key_id AS keyId, secret_hash AS secretHash FROM api_keys WHERE key_id = ? AND revoked = 0', keyId);
    },
    /** Revokes a key on behalf of `by` (the key itself or the key that created it); false if there was none to revoke. */
    revoke(keyId, by) {
      return db.run('UPDATE api_keys SET revoked = 1 WHERE key_id = ? AND revoked = 0 AND (key_id = ? OR created_by = ?)', keyId, by, by) > 0;
    },
  };
}

// One small synchronous interface over both engines: exec(sql), run(sql, ...params) -> rows
// changed, get(sql, ...params) -> the first row or undefined.
async function openDatabase() {
  const sqlite = await import('node:sqlite').catch(() => undefined);
  if (sqlite !== undefined) {
    const db = new sqlite.DatabaseSync(':memory:');
    return {
      engine: 'node:sqlite',
      exec: (sql) => db.exec(sql),
      run: (sql, ...params) => Number(db.prepare(sql).run(...params).changes),
      get: (sql, ...params) => db.prepare(sql).get(...params),
    };
  }
  const { default: initSqlJs } = await import('sql.js');
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  return {
    engine: 'sql.js',
    exec: (sql) => db.exec(sql),
    run: (sql, ...params) => {
      db.run(sql, params);
      return db.getRowsModified();
    },
    get: (sql, ...params) => {
      const statement = db.prepare(sql, params);
      try {
        return statement.step() ? statement.getAsObject() : undefined;
      } finally {
        statement.free();
      }
    },
  };
}
