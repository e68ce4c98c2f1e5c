package io.hyperinfer.auth;

import io.hyperinfer.worker.store.Batch;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.Entry;
import io.hyperinfer.worker.store.RangeOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Auth's records in one bee, so related writes go in one atomic batch. Key layout:
 * <pre>
 *   user/&lt;email&gt;               -> user JSON
 *   userid/&lt;userId&gt;            -> email
 *   key/&lt;keyId&gt;                -> API key JSON (hash, never the key)
 *   userkey/&lt;userId&gt;/&lt;keyId&gt;  -> "" (lists a user's keys)
 *   revoked/&lt;sessionId&gt;        -> expiry (epoch ms)
 *   revexp/&lt;expiry ms, 16 digits&gt;/&lt;sessionId&gt; -> "" (prunes revocations once the token expired anyway)
 *   backoff/a/&lt;account hash&gt;     -> failed logins on an account, and sources that logged in to it
 *   backoff/p/&lt;account hash&gt;/&lt;source&gt; -> failed logins on an account from one source
 * </pre>
 * Thread-safe as the bee is; callers serialise read-modify-write sequences.
 */
final class AuthStore {
  /** Bee name in the worker's store. */
  static final String BEE = "auth";
  /** Expired revocations removed per write, so pruning cost stays bounded. */
  static final int PRUNE_BATCH = 64;

  private final Bee bee;
  private final ReentrantLock writes = new ReentrantLock();

  AuthStore(Bee bee) {
    this.bee = bee;
  }

  /** Runs a read-check-write sequence with no other such sequence in between (e.g. the duplicate-email check). */
  <T> T exclusive(Supplier<T> sequence) {
    writes.lock();
    try {
      return sequence.get();
    } finally {
      writes.unlock();
    }
  }

  Optional<User> userByEmail(String email) {
    return bee.getJson("user/" + email).map(User::fromJson);
  }

  Optional<User> userById(String userId) {
    return bee.getString("userid/" + userId).flatMap(this::userByEmail);
  }

  void putUser(User user) {
    bee.batch().putJson("user/" + user.email(), user.toJson()).putString("userid/" + user.id(), user.email()).flush();
  }

  List<User> users(int limit) {
    List<User> users = new ArrayList<>();
    for (Entry e : bee.range(RangeOptions.prefix("user/").limit(limit))) {
      users.add(User.fromJson(e.valueJson()));
    }
    return users;
  }

  Optional<ApiKey> key(String keyId) {
    return bee.getJson("key/" + keyId).map(ApiKey::fromJson);
  }

  void putKey(ApiKey key) {
    bee.batch().putJson("key/" + key.id(), key.toJson()).putString("userkey/" + key.userId() + "/" + key.id(), "")
        .flush();
  }

  List<ApiKey> keysOf(String userId) {
    List<ApiKey> keys = new ArrayList<>();
    String prefix = "userkey/" + userId + "/";
    for (Entry e : bee.range(RangeOptions.prefix(prefix))) {
      key(e.keyString().substring(prefix.length())).ifPresent(keys::add);
    }
    return keys;
  }

  int keyCount(String userId) {
    return bee.range(RangeOptions.prefix("userkey/" + userId + "/")).size();
  }

  boolean isRevoked(String sessionId) {
    return bee.get("revoked/" + sessionId).isPresent();
  }

  /** Records a revoked session until {@code expiresAt}; drops a few revocations that expired by {@code now}. */
  void revokeSession(String sessionId, Instant expiresAt, Instant now) {
    Batch batch = bee.batch();
    batch.putString("revoked/" + sessionId, Long.toString(expiresAt.toEpochMilli()));
    batch.putString(expiryKey(expiresAt, sessionId), "");
    pruneInto(batch, now);
    batch.flush();
  }

  /**
   * Revoked sessions and their expiry.
   *
   * @param expiries session id to the instant its token expires, soonest first
   * @param complete false when more revocations exist than were asked for
   */
  record Revocations(java.util.Map<String, Instant> expiries, boolean complete) {}

  /** The revocations whose token has not expired by {@code now}, soonest expiry first, at most {@code limit}. */
  Revocations revocations(Instant now, int limit) {
    List<Entry> live = bee.range(RangeOptions.all().gte(expiryPrefix(now)).lt("revexp0").limit(limit + 1));
    java.util.Map<String, Instant> out = new java.util.LinkedHashMap<>();
    for (Entry e : live.subList(0, Math.min(limit, live.size()))) {
      String[] parts = e.keyString().split("/", 3);
      out.put(parts[2], Instant.ofEpochMilli(Long.parseLong(parts[1])));
    }
    return new Revocations(out, live.size() <= limit);
  }

  /** Removes every revocation whose token has expired by {@code now}; returns how many were removed. */
  int pruneRevocations(Instant now) {
    int total = 0;
    while (true) {
      Batch batch = bee.batch();
      int removed = pruneInto(batch, now);
      batch.flush();
      total += removed;
      if (removed < PRUNE_BATCH) {
        return total;
      }
    }
  }

  /** Login backoff records (see {@link LoginBackoff}), at most {@code limit}, keyed without the prefix. */
  java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> backoffRecords(int limit) {
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> out = new java.util.LinkedHashMap<>();
    for (Entry e : bee.range(RangeOptions.prefix(LoginBackoff.PREFIX).limit(limit))) {
      out.put(e.keyString().substring(LoginBackoff.PREFIX.length()), e.valueJson());
    }
    return out;
  }

  /** Writes and deletes login backoff records in one atomic batch. */
  void writeBackoff(java.util.Map<String, com.fasterxml.jackson.databind.node.ObjectNode> puts,
      List<String> deletes) {
    Batch batch = bee.batch();
    puts.forEach((key, value) -> batch.putJson(LoginBackoff.PREFIX + key, value));
    deletes.forEach(key -> batch.del(LoginBackoff.PREFIX + key));
    batch.flush();
  }

  private int pruneInto(Batch batch, Instant now) {
    List<Entry> expired = bee.range(RangeOptions.all().gte("revexp/").lt(expiryPrefix(now)).limit(PRUNE_BATCH));
    for (Entry e : expired) {
      String key = e.keyString();
      batch.del(key);
      batch.del("revoked/" + key.substring(key.lastIndexOf('/') + 1));
    }
    return expired.size();
  }

  private static String expiryKey(Instant expiresAt, String sessionId) {
    return expiryPrefix(expiresAt) + "/" + sessionId;
  }

  private static String expiryPrefix(Instant at) {
    return "revexp/" + String.format("%016d", Math.max(0, at.toEpochMilli()));
  }
}
