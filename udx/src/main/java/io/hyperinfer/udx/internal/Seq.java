package io.hyperinfer.udx.internal;

/** Wrap-around comparison of 32-bit sequence numbers. */
final class Seq {
  private Seq() {}

  /** Negative when {@code a} is before {@code b}, zero when equal, positive after. */
  static int compare(int a, int b) {
    return a - b;
  }
}
