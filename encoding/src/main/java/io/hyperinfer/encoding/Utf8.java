package io.hyperinfer.encoding;

/**
 * UTF-8 sizing and writing straight into a {@link Buf}. Unpaired surrogates become U+FFFD, as JS TextEncoder
 * does, so the length phase and the write phase always agree (String.getBytes would write '?').
 */
final class Utf8 {
  private static final int REPLACEMENT = 0xfffd;

  private Utf8() {}

  static int length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (isPair(s, i)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static void write(String s, Buf buf) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf.writeUint8(c);
      } else if (c < 0x800) {
        buf.writeUint8(0xc0 | c >> 6);
        buf.writeUint8(0x80 | c & 0x3f);
      } else if (isPair(s, i)) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf.writeUint8(0xf0 | cp >> 18);
        buf.writeUint8(0x80 | cp >> 12 & 0x3f);
        buf.writeUint8(0x80 | cp >> 6 & 0x3f);
        buf.writeUint8(0x80 | cp & 0x3f);
      } else {
        int cp = Character.isSurrogate(c) ? REPLACEMENT : c;
        buf.writeUint8(0xe0 | cp >> 12);
        buf.writeUint8(0x80 | cp >> 6 & 0x3f);
        buf.writeUint8(0x80 | cp & 0x3f);
      }
    }
  }

  private static boolean isPair(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1));
  }
}
