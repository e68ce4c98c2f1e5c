package io.hyperinfer.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;

/** API keys: creation (the key is returned once, only its hash kept), listing, revocation, validation. Thread-safe. */
final class ApiKeys {
  static final int MAX_NAME_LENGTH = 64;
  static final int MAX_MODELS = 64;
  static final int MAX_MODEL_LENGTH = 128;

  private final AuthStore store;
  private final Clock clock;
  private final int maxKeysPerUser;

  ApiKeys(AuthStore store, Clock clock, int maxKeysPerUser) {
    this.store = store;
    this.clock = clock;
    this.maxKeysPerUser = maxKeysPerUser;
  }

  /** What a successful create returns: the full key (shown once) and its stored record. */
  record Created(ApiKeyToken token, ApiKey key) {
    @Override
    public String toString() {
      return "Created[" + token.masked() + "]";
    }
  }

  /** What a gateway learns from a valid key. */
  record Validated(User user, ApiKey key) {}

  Created create(User owner, String name, List<String> models, KeyLimits limits, Instant expiresAt) {
    ApiKeyToken token = ApiKeyToken.generate();
    ApiKey key = record(token.id(), token.hashHex(), owner, name, models, limits, expiresAt);
    return store.exclusive(() -> {
      if (store.keyCount(owner.id()) >= maxKeysPerUser) {
        throw AuthException.badRequest("this account already has " + maxKeysPerUser + " API keys");
      }
      store.putKey(key);
      return new Created(token, key);
    });
  }

  /**
   * Registers the client key pair whose public key is {@code publicKeyHex} (the key the caller proved, never one it
   * names) as a credential of {@code owner}: stored as an API key record (same listing, limits, expiry, revocation)
   * whose id and hash derive from the public key, so no secret exists anywhere. A key registered once, even if
   * revoked since, cannot be registered again (BAD_REQUEST).
   */
  ApiKey registerClientKey(User owner, String publicKeyHex, String name, List<String> models, KeyLimits limits,
      Instant expiresAt) {
    String hash = clientKeyHash(publicKeyHex);
    ApiKey key = record(hash.substring(0, 16), hash, owner, name, models, limits, expiresAt);
    return store.exclusive(() -> {
      if (store.key(key.id()).isPresent()) {
        throw AuthException.badRequest("this client key is already registered (revoked keys stay revoked)");
      }
      if (store.keyCount(owner.id()) >= maxKeysPerUser) {
        throw AuthException.badRequest("this account already has " + maxKeysPerUser + " API keys");
      }
      store.putKey(key);
      return key;
    });
  }

  /** The owner and record of a live client key; INVALID_KEY, KEY_REVOKED or KEY_EXPIRED otherwise. */
  Validated validateClientKey(String publicKeyHex) {
    String hash = clientKeyHash(publicKeyHex);
    return live(store.key(hash.substring(0, 16)).filter(k -> k.hashHex().equals(hash)), "client key");
  }

  /** BLAKE2b-256 of the namespaced public key: its hex names the record (first 16) and checks it (all 64). */
  private static String clientKeyHash(String publicKeyHex) {
    if (publicKeyHex == null || !publicKeyHex.matches("[0-9a-f]{64}")) {
      throw new AuthException(AuthException.Code.INVALID_KEY, "client key is not valid");
    }
    byte[] input = ("hyperinfer/client-key:" + publicKeyHex).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return java.util.HexFormat.of().formatHex(io.hyperinfer.crypto.Blake2b.hash(input));
  }

  /** A new, checked key record created now. */
  private ApiKey record(String id, String hashHex, User owner, String name, List<String> models, KeyLimits limits,
      Instant expiresAt) {
    String cleanName = checkName(name);
    List<String> cleanModels = checkModels(models);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant expiry = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
    if (expiry != null && !expiry.isAfter(now)) {
      throw AuthException.badRequest("expiresAt must be in the future");
    }
    return new ApiKey(id, owner.id(), cleanName, hashHex, cleanModels, limits, now, expiry, null);
  }

  List<ApiKey> list(User owner) {
    return store.keysOf(owner.id());
  }

  /** Revokes a key of {@code caller}'s, or any key when {@code asAdmin}; NOT_FOUND hides other users' keys. */
  ApiKey revoke(User caller, String keyId, boolean asAdmin) {
    if (keyId == null || keyId.isEmpty() || keyId.length() > 64) {
      throw AuthException.badRequest("keyId is required");
    }
    return store.exclusive(() -> {
      ApiKey key = store.key(keyId)
          .filter(k -> asAdmin || k.userId().equals(caller.id()))
          .orElseThrow(() -> new AuthException(AuthException.Code.NOT_FOUND, "no such API key"));
      if (key.revokedAt() != null) {
        return key;
      }
      ApiKey revoked = key.revoked(clock.instant().truncatedTo(ChronoUnit.MILLIS));
      store.putKey(revoked);
      return revoked;
    });
  }

  /** The owner and record of a live key; INVALID_KEY, KEY_REVOKED or KEY_EXPIRED otherwise. */
  Validated validate(String presented) {
    ApiKeyToken token = ApiKeyToken.parse(presented);
    return live(store.key(token.id()).filter(k -> token.matches(k.hashHex())), "API key");
  }

  private Validated live(java.util.Optional<ApiKey> found, String what) {
    ApiKey key = found.orElseThrow(() -> new AuthException(AuthException.Code.INVALID_KEY, what + " is not valid"));
    if (key.revokedAt() != null) {
      throw new AuthException(AuthException.Code.KEY_REVOKED, what + " has been revoked");
    }
    if (key.expiredAt(clock.instant())) {
      throw new AuthException(AuthException.Code.KEY_EXPIRED, what + " has expired");
    }
    User user = store.userById(key.userId())
        .orElseThrow(() -> new AuthException(AuthException.Code.INVALID_KEY, what + " owner no longer exists"));
    return new Validated(user, key);
  }

  private static String checkName(String name) {
    String clean = name == null ? "" : name.strip();
    if (clean.isEmpty() || clean.length() > MAX_NAME_LENGTH || clean.chars().anyMatch(Character::isISOControl)) {
      throw AuthException.badRequest("name must be 1.." + MAX_NAME_LENGTH + " printable characters");
    }
    return clean;
  }

  private static List<String> checkModels(List<String> models) {
    if (models == null) {
      return List.of();
    }
    if (models.size() > MAX_MODELS) {
      throw AuthException.badRequest("at most " + MAX_MODELS + " models per key");
    }
    LinkedHashSet<String> clean = new LinkedHashSet<>();
    for (String model : models) {
      if (model == null || model.isBlank() || model.length() > MAX_MODEL_LENGTH
          || model.chars().anyMatch(Character::isISOControl)) {
        throw AuthException.badRequest("model names must be 1.." + MAX_MODEL_LENGTH + " printable characters");
      }
      clean.add(model.strip());
    }
    return List.copyOf(clean);
  }
}
