package io.hyperinfer.crypto;

/** The crypto module's one exception: a failed primitive, bad key material or a rejected ciphertext. */
public final class CryptoException extends RuntimeException {
  /** Stable codes; callers branch on these, never on the message. */
  public enum Code {
    BAD_ARGUMENT,
    VERIFY_FAILED,
    DECRYPT_FAILED,
    NATIVE_FAILURE,
    /** An Edwards DH refused the remote key (non-canonical, small order, or an identity result). */
    DH_FAILED,
    /** A Noise handshake message was malformed, out of order, or failed to authenticate. */
    HANDSHAKE_FAILED
  }

  private final Code code;

  public CryptoException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public CryptoException(Code code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  static CryptoException badArgument(String message) {
    return new CryptoException(Code.BAD_ARGUMENT, message);
  }

  static CryptoException decryptFailed(String what) {
    return new CryptoException(Code.DECRYPT_FAILED, what + ": authentication failed");
  }

  /** A failed Noise handshake step. */
  public static CryptoException handshakeFailed(String message) {
    return new CryptoException(Code.HANDSHAKE_FAILED, message);
  }

  static CryptoException nativeFailure(String function, Throwable cause) {
    return new CryptoException(Code.NATIVE_FAILURE, function + " failed", cause);
  }
}
