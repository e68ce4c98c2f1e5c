package io.hyperinfer.auth;

import io.hyperinfer.contract.session.SessionClaims;
import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.crypto.Random;
import io.hyperinfer.worker.throttle.KeyedRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accounts: registration, password login with backoff, roles. Register and login are throttled per source (the
 * caller's key, see {@link AuthRpc}) and cost one Argon2id computation whether or not the email exists, so neither
 * their timing nor their backoff tells which emails exist; a refused attempt costs no hashing and writes nothing.
 * Thread-safe.
 */
final class Accounts {
  /** Most users listUsers returns in one call. */
  static final int MAX_LIST = 1000;
  /** The source of calls made in-process, without a caller key. */
  static final String LOCAL_SOURCE = "local";

  private final AuthStore store;
  private final AuthSettings settings;
  private final Clock clock;
  private final LoginBackoff backoff;
  /** Verified against when the account does not exist, so a miss costs as much as a wrong password. */
  private final String decoyHash;
  private final HashingThreads hashing;
  private final KeyedRateLimiter<String> loginThrottle;
  private final KeyedRateLimiter<String> registerThrottle;
  private final AtomicLong hashings = new AtomicLong();

  Accounts(AuthStore store, AuthSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.backoff = new LoginBackoff(clock, settings.backoff(), store);
    this.hashing = new HashingThreads(settings.hashConcurrency());
    AbuseLimits abuse = settings.abuse();
    this.loginThrottle = new KeyedRateLimiter<>(abuse.login(), abuse.maxThrottledKeys(), clock);
    this.registerThrottle = new KeyedRateLimiter<>(abuse.register(), abuse.maxThrottledKeys(), clock);
    this.decoyHash = hash(HexFormat.of().formatHex(Random.bytes(16)));
  }

  /** {@link #register(String, String, String)} from {@link #LOCAL_SOURCE}. */
  User register(String rawEmail, String password) {
    return register(rawEmail, password, LOCAL_SOURCE);
  }

  /**
   * Creates an account; USER_EXISTS when the normalised email is taken. The password is hashed before the email is
   * looked up, so a taken email answers as late as a new one. Nothing is stored on any failure.
   */
  User register(String rawEmail, String password, String source) {
    throttle(registerThrottle, source, "too many registrations from this caller");
    String email = EmailAddress.normalise(rawEmail);
    settings.policy().check(password, email);
    String hash = hash(password);
    if (store.userByEmail(email).isPresent()) {
      throw exists();
    }
    Set<Role> roles = settings.adminEmails().contains(email) ? EnumSet.of(Role.USER, Role.ADMIN) : Set.of(Role.USER);
    User user = new User(HexFormat.of().formatHex(Random.bytes(16)), email, hash, roles,
        clock.instant().truncatedTo(ChronoUnit.MILLIS));
    return store.exclusive(() -> {
      if (store.userByEmail(email).isPresent()) {
        throw exists();
      }
      store.putUser(user);
      return user;
    });
  }

  /** {@link #login(String, String, String)} from {@link #LOCAL_SOURCE}. */
  User login(String rawEmail, String password) {
    return login(rawEmail, password, LOCAL_SOURCE);
  }

  /**
   * The account for a correct email and password; one error, one hashing and one backoff record for an unknown email
   * and a wrong password alike. TOO_MANY_ATTEMPTS, before any hashing, while {@code source} is throttled or backed off.
   */
  User login(String rawEmail, String password, String source) {
    throttle(loginThrottle, source, "too many logins from this caller");
    String email;
    try {
      email = EmailAddress.normalise(rawEmail);
    } catch (AuthException e) {
      throw invalidCredentials();
    }
    if (password == null || password.length() > settings.policy().maxLength() * 2) {
      throw invalidCredentials();
    }
    backoff.checkAllowed(email, source);
    var found = store.userByEmail(email);
    boolean ok = verify(found.map(User::passwordHash).orElse(decoyHash), password);
    if (found.isEmpty() || !ok) {
      backoff.recordFailure(email, source);
      throw invalidCredentials();
    }
    backoff.recordSuccess(email, source);
    User user = found.get();
    if (settings.hashing().needsRehash(user.passwordHash())) {
      User upgraded = user.withPasswordHash(hash(password));
      store.exclusive(() -> {
        store.putUser(upgraded);
        return upgraded;
      });
      return upgraded;
    }
    return user;
  }

  /** The stored account behind a validated session; INVALID_SESSION when it no longer exists. */
  User current(SessionClaims claims) {
    return store.userById(claims.userId())
        .orElseThrow(() -> new AuthException(AuthException.Code.INVALID_SESSION, "session user no longer exists"));
  }

  /** The caller's account if it holds ADMIN now (stored roles, not the token's); FORBIDDEN otherwise. */
  User requireAdmin(SessionClaims claims) {
    User user = current(claims);
    if (!user.roles().contains(Role.ADMIN)) {
      throw AuthException.forbidden("admin role required");
    }
    return user;
  }

  /** Grants or removes {@code role} on the account with {@code rawEmail}; USER cannot be removed. */
  User setRole(String rawEmail, Role role, boolean granted) {
    String email = EmailAddress.normalise(rawEmail);
    if (role == Role.USER && !granted) {
      throw AuthException.badRequest("every account keeps the user role");
    }
    return store.exclusive(() -> {
      User user = store.userByEmail(email)
          .orElseThrow(() -> new AuthException(AuthException.Code.NOT_FOUND, "no such user"));
      Set<Role> roles = EnumSet.copyOf(user.roles());
      if (granted) {
        roles.add(role);
      } else {
        roles.remove(role);
      }
      User updated = user.withRoles(roles);
      store.putUser(updated);
      return updated;
    });
  }

  List<User> list() {
    return store.users(MAX_LIST);
  }

  /** Argon2id computations done (hashes and verifications): what register and login cost, whatever the answer. */
  long hashings() {
    return hashings.get();
  }

  private static void throttle(KeyedRateLimiter<String> throttle, String source, String what) {
    KeyedRateLimiter.Decision d = throttle.tryAcquire(source);
    if (!d.allowed()) {
      throw AuthException.tooManyAttempts(what, Duration.ofSeconds((d.retryAfter().toMillis() + 999) / 1000));
    }
  }

  private String hash(String password) {
    hashings.incrementAndGet();
    return hashing.run(() -> settings.hashing().hash(password.toCharArray()));
  }

  private boolean verify(String stored, String password) {
    hashings.incrementAndGet();
    return hashing.run(() -> PasswordHash.verify(stored, password.toCharArray()));
  }

  private static AuthException exists() {
    return new AuthException(AuthException.Code.USER_EXISTS, "an account with this email already exists");
  }

  private static AuthException invalidCredentials() {
    return new AuthException(AuthException.Code.INVALID_CREDENTIALS, "email or password is wrong");
  }
}
