package io.hyperinfer.auth;

import java.util.Locale;

/**
 * What a new password must satisfy, checked in this order, each failure a {@code WEAK_PASSWORD} naming its
 * {@link Rule}: a length in [minLength, maxLength] code points (the cap bounds the Argon2 work an attacker can ask
 * for); no whitespace padding (the password without leading and trailing whitespace must still be long enough); at
 * least {@value #MIN_DISTINCT} different characters (fewer if {@code minLength} is lower); at least two character classes (lower, upper, digit, other); not
 * the account's own email; not one of the 10,000 most common passwords ({@link CommonPasswords}); and at least
 * {@code minEntropyBits} by {@link PasswordStrength}, which sees through common words with digits, capitals or leet
 * spelling added, repeats and sequences. Thread-safe.
 *
 * @param minLength shortest accepted password, in code points (default 10)
 * @param maxLength longest accepted password, in code points (default 128)
 * @param minEntropyBits least estimated guesses, as log2 (default {@value #DEFAULT_MIN_ENTROPY_BITS})
 */
public record PasswordPolicy(int minLength, int maxLength, int minEntropyBits) {
  /** 2^30 guesses: beyond a throttled online attack by far, and past every common password with a suffix. */
  public static final int DEFAULT_MIN_ENTROPY_BITS = 30;
  /** Fewest different characters a password may use. */
  public static final int MIN_DISTINCT = 5;
  public static final PasswordPolicy DEFAULT = new PasswordPolicy(10, 128, DEFAULT_MIN_ENTROPY_BITS);

  private static final PasswordStrength STRENGTH = new PasswordStrength(CommonPasswords.bundled());

  /** Which rule a password broke; travels as {@code details.rule} (lowercase) with {@code ERR_WEAK_PASSWORD}. */
  public enum Rule { REQUIRED, TOO_SHORT, TOO_LONG, PADDED, REPETITIVE, FEW_CLASSES, IS_EMAIL, COMMON, GUESSABLE }

  public PasswordPolicy {
    if (minLength < 1 || maxLength < minLength || minEntropyBits < 0) {
      throw new IllegalArgumentException("password policy needs 1 <= minLength <= maxLength, minEntropyBits >= 0");
    }
  }

  /** Length bounds with the default entropy floor. */
  public PasswordPolicy(int minLength, int maxLength) {
    this(minLength, maxLength, DEFAULT_MIN_ENTROPY_BITS);
  }

  /** Throws {@link AuthException.Code#WEAK_PASSWORD} saying which rule failed; never echoes the password. */
  public void check(String password, String normalisedEmail) {
    if (password == null) {
      throw AuthException.weakPassword(Rule.REQUIRED, "password is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < minLength) {
      throw AuthException.weakPassword(Rule.TOO_SHORT, "password must be at least " + minLength + " characters");
    }
    if (length > maxLength) {
      throw AuthException.weakPassword(Rule.TOO_LONG, "password must be at most " + maxLength + " characters");
    }
    String core = password.strip();
    if (core.codePointCount(0, core.length()) < minLength) {
      throw AuthException.weakPassword(Rule.PADDED, "password must be at least " + minLength
          + " characters without the spaces around it");
    }
    int distinct = Math.min(MIN_DISTINCT, minLength);
    if (password.codePoints().distinct().count() < distinct) {
      throw AuthException.weakPassword(Rule.REPETITIVE, "password must use at least " + distinct
          + " different characters");
    }
    if (characterClasses(password) < 2) {
      throw AuthException.weakPassword(Rule.FEW_CLASSES,
          "password must mix at least two of: lowercase, uppercase, digits, symbols");
    }
    if (normalisedEmail != null && password.toLowerCase(Locale.ROOT).equals(normalisedEmail)) {
      throw AuthException.weakPassword(Rule.IS_EMAIL, "password must not be the email address");
    }
    if (CommonPasswords.bundled().rank(core) > 0) {
      throw AuthException.weakPassword(Rule.COMMON, "password is one of the most common passwords");
    }
    if (STRENGTH.bits(password) < minEntropyBits) {
      throw AuthException.weakPassword(Rule.GUESSABLE, "password is too easy to guess: it is built from common "
          + "words, repeats or sequences; add unrelated words or characters");
    }
  }

  /** The estimated strength of {@code password} in bits, as the policy sees it. */
  public static double strengthBits(String password) {
    return STRENGTH.bits(password);
  }

  private static int characterClasses(String password) {
    boolean lower = false;
    boolean upper = false;
    boolean digit = false;
    boolean other = false;
    for (int i = 0; i < password.length(); ) {
      int cp = password.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLowerCase(cp)) {
        lower = true;
      } else if (Character.isUpperCase(cp)) {
        upper = true;
      } else if (Character.isDigit(cp)) {
        digit = true;
      } else {
        other = true;
      }
    }
    return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
  }
}
