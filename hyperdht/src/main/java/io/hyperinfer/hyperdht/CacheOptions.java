package io.hyperinfer.hyperdht;

import java.time.Duration;

/**
 * Sizes and lifetimes of a node's tables ({@code index.js defaultCacheOpts}). Routes, announce records, refresh
 * chains and bumps share {@code maxSize} and {@code maxAge}; mutable and immutable values get half the size and live
 * {@code valueMaxAge}, which is 48 h unless a node-wide {@code maxAge} was given.
 *
 * @param maxSize entries per generation of routes, records, refreshes and bumps (JS {@code opts.maxSize})
 * @param maxAge nominal lifetime of routes, records, refreshes and bumps
 * @param valueMaxAge nominal lifetime of mutable and immutable values
 */
public record CacheOptions(int maxSize, Duration maxAge, Duration valueMaxAge) {
  /** JS's default {@code maxSize}. */
  public static final int DEFAULT_MAX_SIZE = 65_536;
  /** JS's default {@code maxAge}. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(20);
  /** JS's lifetime of mutable and immutable values when no {@code maxAge} is given. */
  public static final Duration DEFAULT_VALUE_MAX_AGE = Duration.ofHours(48);
  /** Entries of the client's relay-address cache at most ({@code relayAddresses}, which never expire). */
  public static final int RELAY_ADDRESSES_MAX_SIZE = 512;

  /** Sizes must allow at least one entry per table; lifetimes must be positive. */
  public CacheOptions {
    if (maxSize < 2 || maxAge == null || valueMaxAge == null || maxAge.isNegative() || maxAge.isZero()
        || valueMaxAge.isNegative() || valueMaxAge.isZero()) {
      throw new IllegalArgumentException("maxSize must be at least 2 and lifetimes positive");
    }
  }

  /** JS's defaults: 65,536 entries, 20 min, values 48 h. */
  public static CacheOptions defaults() {
    return new CacheOptions(DEFAULT_MAX_SIZE, DEFAULT_MAX_AGE, DEFAULT_VALUE_MAX_AGE);
  }

  /** JS's {@code {maxSize, maxAge}} options: values then live {@code maxAge} too. */
  public static CacheOptions of(int maxSize, Duration maxAge) {
    return new CacheOptions(maxSize, maxAge, maxAge);
  }

  /** Entries per generation of mutable and immutable values: half of {@code maxSize}. */
  public int valueMaxSize() {
    return maxSize / 2;
  }

  /** Entries of the client's relay-address cache: {@code min(maxSize, 512)}. */
  public int relayAddressesMaxSize() {
    return Math.min(maxSize, RELAY_ADDRESSES_MAX_SIZE);
  }
}
