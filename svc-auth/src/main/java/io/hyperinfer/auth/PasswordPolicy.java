package io.hyperinfer.auth;

import java.util.Locale;

/**
 * What a new password must satisfy: a length in [minLength, maxLength] (the cap bounds Argon2 work an attacker can
 * ask for), at least two character classes (lower, upper, digit, other), and not the account's own email.
 * Thread-safe.
 *
 * @param minLength shortest accepted password, in code points (default 10)
 * @param maxLength longest accepted password, in code points (default 128)
 */
public record PasswordPolicy(int minLength, int maxLength) {
  public static final PasswordPolicy DEFAULT = new PasswordPolicy(10, 128);

  public PasswordPolicy {
    if (minLength < 1 || maxLength < minLength) {
      throw new IllegalArgumentException("password policy needs 1 <= minLength <= maxLength");
    }
  }

  /** Throws {@link AuthException.Code#WEAK_PASSWORD} saying which rule failed; never echoes the password. */
  public void check(String password, String normalisedEmail) {
    if (password == null) {
      throw weak("password is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < minLength) {
      throw weak("password must be at least " + minLength + " characters");
    }
    if (length > maxLength) {
      throw weak("password must be at most " + maxLength + " characters");
    }
    if (characterClasses(password) < 2) {
      throw weak("password must mix at least two of: lowercase, uppercase, digits, symbols");
    }
    if (normalisedEmail != null && password.toLowerCase(Locale.ROOT).equals(normalisedEmail)) {
      throw weak("password must not be the email address");
    }
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

  private static AuthException weak(String message) {
    return new AuthException(AuthException.Code.WEAK_PASSWORD, message);
  }
}
