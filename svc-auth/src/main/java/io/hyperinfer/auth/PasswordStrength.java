package io.hyperinfer.auth;

/**
 * A conservative estimate of how many guesses a password takes, in bits (log2 of the guesses), in the spirit of
 * zxcvbn but much smaller: the password is split, at least cost, into pieces that are each one of
 * <ul>
 *   <li>a common password or a run of one inside it ({@link CommonPasswords}), costing log2 of its rank, one bit more
 *       for capitals and one more for "leet" digits or symbols standing for letters ({@code p@ssw0rd});</li>
 *   <li>a repeat of the piece just before it ({@code abcabc}), costing one bit;</li>
 *   <li>one character: one bit when it repeats or continues the previous one ({@code aaaa}, {@code 1234},
 *       {@code abcd}), else log2 of its class (26 letters of a case, 10 digits, 33 ASCII symbols, 64 for anything
 *       else).</li>
 * </ul>
 * An attacker trying common passwords, their variants and patterns first needs about 2^bits guesses. Stateless;
 * thread-safe.
 */
final class PasswordStrength {
  private static final double LOG2_LETTERS = log2(26);
  private static final double LOG2_DIGITS = log2(10);
  private static final double LOG2_SYMBOLS = log2(33);
  private static final double LOG2_OTHER = log2(64);

  private final CommonPasswords common;

  PasswordStrength(CommonPasswords common) {
    this.common = common;
  }

  /** The estimated guesses for {@code password}, as bits. */
  double bits(String password) {
    int[] cps = password.codePoints().toArray();
    int n = cps.length;
    double[] best = new double[n + 1];
    for (int end = 1; end <= n; end++) {
      best[end] = best[end - 1] + characterBits(cps, end - 1);
      for (int start = Math.max(0, end - CommonPasswords.MAX_WORD); start <= end - 3; start++) {
        double word = wordBits(cps, start, end);
        if (word >= 0) {
          best[end] = Math.min(best[end], best[start] + word);
        }
      }
      for (int len = 3; len * 2 <= end; len++) {
        if (repeats(cps, end - len, len)) {
          best[end] = Math.min(best[end], best[end - len] + 1);
        }
      }
    }
    return best[n];
  }

  private static double characterBits(int[] cps, int i) {
    int c = cps[i];
    if (i > 0 && Math.abs(c - cps[i - 1]) <= 1) {
      return 1;
    }
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
      return LOG2_LETTERS;
    }
    if (c >= '0' && c <= '9') {
      return LOG2_DIGITS;
    }
    return c >= ' ' && c <= '~' ? LOG2_SYMBOLS : LOG2_OTHER;
  }

  /** Bits of {@code cps[start..end)} as a common password (or a leet spelling of one), or -1 when it is none. */
  private double wordBits(int[] cps, int start, int end) {
    String raw = new String(cps, start, end - start);
    double variation = capitals(raw);
    int rank = common.rank(raw);
    if (rank == 0) {
      String plain = unleet(raw);
      if (plain.equals(raw) || (rank = common.rank(plain)) == 0) {
        return -1;
      }
      variation += 1;
    }
    return Math.max(1, log2(rank)) + variation;
  }

  private static double capitals(String word) {
    boolean firstUpper = Character.isUpperCase(word.codePointAt(0));
    long upper = word.codePoints().filter(Character::isUpperCase).count();
    if (upper == 0) {
      return 0;
    }
    return upper == 1 && firstUpper || upper == word.codePointCount(0, word.length()) ? 1 : 2;
  }

  private static String unleet(String word) {
    StringBuilder out = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      out.append(switch (c) {
        case '0' -> 'o';
        case '1', '!' -> 'i';
        case '3' -> 'e';
        case '4', '@' -> 'a';
        case '5', '$' -> 's';
        case '7' -> 't';
        default -> c;
      });
    }
    return out.toString();
  }

  private static boolean repeats(int[] cps, int start, int len) {
    for (int i = 0; i < len; i++) {
      if (cps[start + i] != cps[start - len + i]) {
        return false;
      }
    }
    return true;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
