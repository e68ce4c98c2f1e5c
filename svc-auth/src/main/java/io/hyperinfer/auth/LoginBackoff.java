package io.hyperinfer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.crypto.Blake2b;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backoff after failed logins, so that nobody but the guesser pays for the guessing:
 * <ul>
 *   <li>per account and source (the caller's key): after {@code freeAttempts} failures that pair is locked for
 *       {@code base}, doubling per further failure up to {@code max}. Another source, the owner's, is not affected.
 *   <li>per account, all sources together: once {@code accountFreeAttempts} different sources have failed on it,
 *       the account slows down for sources that never logged in to it, one attempt per {@code accountBase} doubling
 *       up to {@code accountMax} (short: a slow-down, not a lock-out). Sources that logged in successfully (the last
 *       {@value #KNOWN_SOURCES}) are exempt, so a guesser with many keys is paced while the owner's usual keys never
 *       wait; a guesser with one key is handled by the pair lock alone and slows nobody else down.
 * </ul>
 * Unknown emails are tracked exactly as accounts are, so backoff reveals nothing about which emails exist. A success
 * clears the pair and the account's count. Failures older than {@code forgetAfter} whose lock has passed count as
 * none.
 *
 * <p>State survives a restart: each failure or success writes the records it changed to the store in one batch, and
 * the constructor loads them. A refused attempt ({@link #checkAllowed}) writes nothing. Bounded: at most
 * {@code maxTracked} records in memory and on disk; past that the least recently used record is dropped from both.
 * Accounts are keyed by a BLAKE2b hash of the email, so the store holds no address that never registered. Driven only
 * by the injected clock. Thread-safe: one lock, held across a record update and its write.
 */
final class LoginBackoff {
  /** Sources remembered per account as having logged in. */
  static final int KNOWN_SOURCES = 8;
  static final String PREFIX = "backoff/";

  /**
   * The backoff's settings (config keys under {@code auth.backoff}).
   *
   * @param freeAttempts failures per account and source before the pair is locked
   * @param base first lock of a pair
   * @param max longest lock of a pair
   * @param accountFreeAttempts sources failing on one account before unknown sources are slowed down
   * @param accountBase first wait of the account-wide slow-down
   * @param accountMax longest wait of the account-wide slow-down
   * @param forgetAfter failures this old, once their lock passed, are forgotten
   * @param maxTracked records kept (memory and disk)
   */
  record Settings(int freeAttempts, Duration base, Duration max, int accountFreeAttempts, Duration accountBase,
      Duration accountMax, Duration forgetAfter, int maxTracked) {
    Settings {
      if (freeAttempts < 1 || accountFreeAttempts < 1 || maxTracked < 2 || !positive(base) || max.compareTo(base) < 0
          || !positive(accountBase) || accountMax.compareTo(accountBase) < 0 || !positive(forgetAfter)) {
        throw new IllegalArgumentException("backoff needs attempts >= 1, 0 < base <= max, positive forgetAfter, "
            + "maxTracked >= 2");
      }
    }

    private static boolean positive(Duration d) {
      return !d.isNegative() && !d.isZero();
    }
  }

  /** One account's or one pair's failures; {@code known} only on account records. */
  private record Failures(int count, long lockedUntil, long last, List<String> known) {
    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode().put("count", count).put("lockedUntil", lockedUntil)
          .put("last", last);
      known.forEach(node.putArray("known")::add);
      return node;
    }

    static Failures fromJson(JsonNode node) {
      List<String> known = new ArrayList<>();
      node.path("known").forEach(k -> known.add(k.asText()));
      return new Failures(node.path("count").asInt(), node.path("lockedUntil").asLong(), node.path("last").asLong(),
          List.copyOf(known));
    }
  }

  private final Clock clock;
  private final Settings settings;
  private final AuthStore store;
  private final LinkedHashMap<String, Failures> records = new LinkedHashMap<>(16, 0.75f, true);

  LoginBackoff(Clock clock, Settings settings, AuthStore store) {
    this.clock = clock;
    this.settings = settings;
    this.store = store;
    store.backoffRecords(settings.maxTracked()).forEach((key, json) -> records.put(key, Failures.fromJson(json)));
  }

  /** Throws {@link AuthException.Code#TOO_MANY_ATTEMPTS} with the wait while {@code source} may not try. */
  synchronized void checkAllowed(String account, String source) {
    long now = clock.millis();
    String id = accountId(account);
    Failures pair = current(pairKey(id, source), now);
    if (pair != null && now < pair.lockedUntil()) {
      throw AuthException.tooManyAttempts(waitUntil(pair.lockedUntil(), now));
    }
    Failures whole = current(accountKey(id), now);
    if (whole != null && now < whole.lockedUntil() && !whole.known().contains(source)) {
      throw AuthException.tooManyAttempts(waitUntil(whole.lockedUntil(), now));
    }
  }

  synchronized void recordFailure(String account, String source) {
    long now = clock.millis();
    String id = accountId(account);
    Map<String, Failures> changed = new HashMap<>();
    Failures pair = current(pairKey(id, source), now);
    changed.put(pairKey(id, source), failed(pair, now, settings.freeAttempts(), settings.base(), settings.max()));
    if (pair == null) { // the account counts sources, not guesses: a new source failed on it
      changed.put(accountKey(id), failed(current(accountKey(id), now), now, settings.accountFreeAttempts(),
          settings.accountBase(), settings.accountMax()));
    }
    write(changed);
  }

  synchronized void recordSuccess(String account, String source) {
    long now = clock.millis();
    String id = accountId(account);
    Map<String, Failures> changed = new HashMap<>();
    if (records.containsKey(pairKey(id, source))) {
      changed.put(pairKey(id, source), null);
    }
    Failures whole = records.get(accountKey(id));
    List<String> known = new ArrayList<>(whole == null ? List.of() : whole.known());
    if (whole == null || whole.count() > 0 || !known.contains(source)) {
      known.remove(source);
      known.add(source);
      if (known.size() > KNOWN_SOURCES) {
        known.removeFirst();
      }
      changed.put(accountKey(id), new Failures(0, 0, now, List.copyOf(known)));
    }
    if (!changed.isEmpty()) {
      write(changed);
    }
  }

  /** Records held now (memory and disk alike). */
  synchronized int tracked() {
    return records.size();
  }

  /** The wait after the {@code count}th failure with {@code free} failures allowed. */
  static Duration delayAfter(int count, int free, Duration base, Duration max) {
    int extra = count - free;
    if (extra <= 0) {
      return Duration.ZERO;
    }
    Duration delay = base.multipliedBy(1L << Math.min(extra - 1, 30));
    return delay.compareTo(max) > 0 ? max : delay;
  }

  private Failures failed(Failures previous, long now, int free, Duration base, Duration max) {
    int count = previous == null ? 1 : previous.count() + 1;
    List<String> known = previous == null ? List.of() : previous.known();
    return new Failures(count, now + delayAfter(count, free, base, max).toMillis(), now, known);
  }

  /** The record at {@code key}; failures forgotten (old, lock passed) read as none, known sources stay. */
  private Failures current(String key, long now) {
    Failures f = records.get(key);
    boolean forgotten = f != null && f.count() > 0 && now >= f.lockedUntil()
        && now - f.last() > settings.forgetAfter().toMillis();
    if (!forgotten) {
      return f;
    }
    return f.known().isEmpty() ? null : new Failures(0, 0, f.last(), f.known());
  }

  /** Applies {@code changed} (null = delete) in memory and writes it, with any records evicted, in one batch. */
  private void write(Map<String, Failures> changed) {
    Map<String, ObjectNode> puts = new HashMap<>();
    List<String> deletes = new ArrayList<>();
    changed.forEach((key, f) -> {
      if (f == null) {
        records.remove(key);
        deletes.add(key);
      } else {
        records.put(key, f);
        puts.put(key, f.toJson());
      }
    });
    var eldest = records.keySet().iterator();
    while (records.size() > settings.maxTracked()) {
      String key = eldest.next();
      if (!changed.containsKey(key)) {
        eldest.remove();
        deletes.add(key);
      }
    }
    store.writeBackoff(puts, deletes);
  }

  private static Duration waitUntil(long lockedUntil, long now) {
    return Duration.ofSeconds((lockedUntil - now + 999) / 1000);
  }

  private static String accountId(String account) {
    return HexFormat.of().formatHex(Blake2b.hash(account.getBytes(StandardCharsets.UTF_8)));
  }

  private static String accountKey(String id) {
    return "a/" + id;
  }

  private static String pairKey(String id, String source) {
    return "p/" + id + "/" + source;
  }
}
