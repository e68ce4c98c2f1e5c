package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.Codec;

/**
 * A request value decoded, or the counted drop that stands for it: exactly one of the two is set. JS decodes inside a
 * try and returns silently on failure, so a missing or malformed value is a silent drop everywhere.
 */
record Decoded<T>(T value, Outcome.Drop drop) {
  /** {@code value} decoded with {@code codec}; a drop (counted) when it is null or does not decode. */
  static <T> Decoded<T> of(byte[] value, Codec<T> codec, DropCounter drops) {
    if (value == null) {
      return new Decoded<>(null, drops.drop(DropReason.MISSING_VALUE));
    }
    T decoded = Router.decodeOrNull(codec, value);
    return decoded == null ? new Decoded<>(null, drops.drop(DropReason.MALFORMED_VALUE)) : new Decoded<>(decoded, null);
  }

  /** The drop of an earlier check, carried as a result. */
  static <T> Decoded<T> dropped(Outcome.Drop drop) {
    return new Decoded<>(null, drop);
  }
}
