package io.hyperinfer.auth;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Email normalisation and validation. Accounts are keyed by the normalised form (trimmed, lowercased), so
 * "Ann@Example.COM " and "ann@example.com" are one account. Validation is deliberately the practical subset of RFC 5321
 * that mail systems accept, not the full grammar. Thread-safe.
 */
public final class EmailAddress {
  /** RFC 5321 limits on the whole path and on the local part. */
  public static final int MAX_LENGTH = 254;
  public static final int MAX_LOCAL_LENGTH = 64;

  private static final String ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
  private static final Pattern LOCAL = Pattern.compile(ATOM + "(\\." + ATOM + ")*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private EmailAddress() {}

  /** The normalised address, or {@link AuthException.Code#INVALID_EMAIL}. */
  public static String normalise(String raw) {
    if (raw == null) {
      throw invalid("email is required");
    }
    String email = raw.strip().toLowerCase(Locale.ROOT);
    if (email.isEmpty() || email.length() > MAX_LENGTH) {
      throw invalid("email must be 1.." + MAX_LENGTH + " characters");
    }
    int at = email.lastIndexOf('@');
    if (at <= 0 || at != email.indexOf('@')) {
      throw invalid("email needs exactly one @ with a local part before it");
    }
    String local = email.substring(0, at);
    String domain = email.substring(at + 1);
    if (local.length() > MAX_LOCAL_LENGTH || !LOCAL.matcher(local).matches()) {
      throw invalid("email local part is not valid");
    }
    if (!validDomain(domain)) {
      throw invalid("email domain is not valid");
    }
    return email;
  }

  private static boolean validDomain(String domain) {
    String[] labels = domain.split("\\.", -1);
    if (labels.length < 2) {
      return false;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }

  private static AuthException invalid(String message) {
    return new AuthException(AuthException.Code.INVALID_EMAIL, message);
  }
}
