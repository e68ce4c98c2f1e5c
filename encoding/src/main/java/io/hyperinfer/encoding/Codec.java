package io.hyperinfer.encoding;

/**
 * A compact-encoding type in three phases, mirroring JS {@code preencode/encode/decode}: the exact length first,
 * so an encode takes one exact-size allocation, then the bytes.
 *
 * <p>Implementations are stateless and thread-safe; {@link Buf} is not.
 *
 * @param <T> the decoded value type
 */
public interface Codec<T> {
  /** The exact number of bytes {@link #encode} will write for {@code value}. */
  int encodedLength(T value);

  /** Writes {@code value} at the buffer's cursor and advances it. */
  void encode(T value, Buf buf);

  /**
   * Reads one value at the buffer's cursor and advances it; bytes after the value are left alone.
   *
   * @throws DecodeException on short or invalid input
   */
  T decode(Buf buf);
}
