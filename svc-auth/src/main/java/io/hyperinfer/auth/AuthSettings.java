package io.hyperinfer.auth;

import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.throttle.KeyedRateLimiter.Rate;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * The Auth worker's settings, read from the {@code auth} config section (see README for keys and defaults).
 * Immutable.
 *
 * @param hashing Argon2id cost for new password hashes
 * @param policy rules for new passwords
 * @param sessionTtl how long a session token is valid
 * @param freeAttempts failed logins per account before backoff starts
 * @param backoffBase lock after the first failure beyond the free attempts; doubles per further failure
 * @param backoffMax longest lock
 * @param adminEmails accounts that get the admin role when they register (bootstrap)
 * @param gateways public keys (hex) allowed to call validateSession and validateApiKey
 * @param topic the topic Auth announces
 * @param maxKeysPerUser API keys one account may hold, revoked ones included
 * @param hashConcurrency Argon2id computations at once, each on a platform thread of Auth's own; each takes the
 *     hashing memory (64 MiB interactive), so this bounds Auth's memory under a login flood
 * @param abuse throttles per source, the account-wide slow-down and the bounds of their state
 */
public record AuthSettings(PasswordHash hashing, PasswordPolicy policy, Duration sessionTtl, int freeAttempts,
    Duration backoffBase, Duration backoffMax, Set<String> adminEmails, Set<String> gateways, String topic,
    int maxKeysPerUser, int hashConcurrency, AbuseLimits abuse) {
  public static final String DEFAULT_TOPIC = "hyperinfer/auth";

  public AuthSettings {
    if (hashConcurrency < 1) {
      throw new IllegalArgumentException("hashConcurrency must be at least 1");
    }
    adminEmails = Set.copyOf(adminEmails);
    gateways = Set.copyOf(gateways);
  }

  /** Settings with {@link AbuseLimits#DEFAULT}. */
  public AuthSettings(PasswordHash hashing, PasswordPolicy policy, Duration sessionTtl, int freeAttempts,
      Duration backoffBase, Duration backoffMax, Set<String> adminEmails, Set<String> gateways, String topic,
      int maxKeysPerUser, int hashConcurrency) {
    this(hashing, policy, sessionTtl, freeAttempts, backoffBase, backoffMax, adminEmails, gateways, topic,
        maxKeysPerUser, hashConcurrency, AbuseLimits.DEFAULT);
  }

  /** Production defaults: interactive Argon2id, 12 h sessions, 5 free attempts then 1 s doubling to 15 min. */
  public static AuthSettings defaults() {
    return new AuthSettings(PasswordHash.INTERACTIVE, PasswordPolicy.DEFAULT, Duration.ofHours(12), 5,
        Duration.ofSeconds(1), Duration.ofMinutes(15), Set.of(), Set.of(), DEFAULT_TOPIC, 100,
        Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  public AuthSettings withHashing(PasswordHash h) {
    return new AuthSettings(h, policy, sessionTtl, freeAttempts, backoffBase, backoffMax, adminEmails, gateways,
        topic, maxKeysPerUser, hashConcurrency, abuse);
  }

  public AuthSettings withGateways(Set<String> g) {
    return new AuthSettings(hashing, policy, sessionTtl, freeAttempts, backoffBase, backoffMax, adminEmails, g,
        topic, maxKeysPerUser, hashConcurrency, abuse);
  }

  public AuthSettings withAdminEmails(Set<String> a) {
    return new AuthSettings(hashing, policy, sessionTtl, freeAttempts, backoffBase, backoffMax, a, gateways,
        topic, maxKeysPerUser, hashConcurrency, abuse);
  }

  public AuthSettings withAbuse(AbuseLimits a) {
    return new AuthSettings(hashing, policy, sessionTtl, freeAttempts, backoffBase, backoffMax, adminEmails, gateways,
        topic, maxKeysPerUser, hashConcurrency, a);
  }

  public AuthSettings withPolicy(PasswordPolicy p) {
    return new AuthSettings(hashing, p, sessionTtl, freeAttempts, backoffBase, backoffMax, adminEmails, gateways,
        topic, maxKeysPerUser, hashConcurrency, abuse);
  }

  /** The per-pair and account-wide login backoff these settings describe. */
  LoginBackoff.Settings backoff() {
    return new LoginBackoff.Settings(freeAttempts, backoffBase, backoffMax, abuse.accountFreeAttempts(),
        abuse.accountBase(), abuse.accountMax(), abuse.forgetAfter(), abuse.maxTracked());
  }

  /** Settings from the {@code auth} section; every bad key fails with its full path. */
  public static AuthSettings fromConfig(Config root) {
    AuthSettings d = defaults();
    Config c = root.section("auth");
    PasswordHash hashing = switch (c.string("passwordHash", "interactive")) {
      case "interactive" -> PasswordHash.INTERACTIVE;
      case "minimum-for-tests" -> PasswordHash.MINIMUM_FOR_TESTS;
      default -> throw ConfigException.invalid("auth.passwordHash", "expected interactive or minimum-for-tests");
    };
    PasswordPolicy policy;
    try {
      policy = new PasswordPolicy(c.intValue("password.minLength", d.policy().minLength()),
          c.intValue("password.maxLength", d.policy().maxLength()),
          c.intValue("password.minEntropyBits", d.policy().minEntropyBits()));
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid("auth.password", e.getMessage());
    }
    Duration ttl = c.duration("session.ttl", d.sessionTtl());
    if (ttl.isZero()) {
      throw ConfigException.invalid("auth.session.ttl", "must be positive");
    }
    int free = c.intValue("backoff.freeAttempts", d.freeAttempts());
    Duration base = c.duration("backoff.base", d.backoffBase());
    Duration max = c.duration("backoff.max", d.backoffMax());
    if (free < 1 || base.isZero() || max.compareTo(base) < 0) {
      throw ConfigException.invalid("auth.backoff", "needs freeAttempts >= 1 and 0 < base <= max");
    }
    Set<String> admins = new HashSet<>();
    for (String email : strings(c, "admins")) {
      try {
        admins.add(EmailAddress.normalise(email));
      } catch (AuthException e) {
        throw ConfigException.invalid("auth.admins", e.getMessage());
      }
    }
    Set<String> gateways = new HashSet<>();
    for (String key : strings(c, "gateways")) {
      String hex = key.toLowerCase(Locale.ROOT);
      if (hex.length() != 64 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
        throw ConfigException.invalid("auth.gateways", "expected 64 hex characters per public key");
      }
      gateways.add(hex);
    }
    int maxKeys = c.intValue("maxKeysPerUser", d.maxKeysPerUser());
    if (maxKeys < 1) {
      throw ConfigException.invalid("auth.maxKeysPerUser", "must be at least 1");
    }
    int hashConcurrency = c.intValue("hashConcurrency", d.hashConcurrency());
    if (hashConcurrency < 1) {
      throw ConfigException.invalid("auth.hashConcurrency", "must be at least 1");
    }
    return new AuthSettings(hashing, policy, ttl, free, base, max, admins, gateways, c.string("topic", d.topic()),
        maxKeys, hashConcurrency, abuse(c, d.abuse()));
  }

  private static AbuseLimits abuse(Config c, AbuseLimits d) {
    try {
      return new AbuseLimits(c.intValue("backoff.account.freeAttempts", d.accountFreeAttempts()),
          c.duration("backoff.account.base", d.accountBase()), c.duration("backoff.account.max", d.accountMax()),
          c.duration("backoff.forgetAfter", d.forgetAfter()), c.intValue("backoff.maxTracked", d.maxTracked()),
          rate(c, "throttle.login", d.login()), rate(c, "throttle.register", d.register()),
          c.intValue("throttle.maxKeys", d.maxThrottledKeys()));
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid("auth.backoff / auth.throttle", e.getMessage());
    }
  }

  private static Rate rate(Config c, String path, Rate d) {
    return new Rate(c.intValue(path + ".burst", d.burst()), c.duration(path + ".every", d.every()));
  }

  private static Set<String> strings(Config c, String path) {
    var node = c.node(path, false);
    Set<String> out = new HashSet<>();
    if (node.isEmpty() || node.get().isNull()) {
      return out;
    }
    if (!node.get().isArray()) {
      throw ConfigException.invalid("auth." + path, "expected an array of strings");
    }
    for (var item : node.get()) {
      if (!item.isTextual()) {
        throw ConfigException.invalid("auth." + path, "expected an array of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }
}
