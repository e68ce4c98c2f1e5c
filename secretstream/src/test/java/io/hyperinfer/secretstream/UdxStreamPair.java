package io.hyperinfer.secretstream;

import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;

/** Two UDX instances with one stream each, for secret streams over real UDX sockets on 127.0.0.1. */
final class UdxStreamPair implements AutoCloseable {
  final Udx udxA = Udx.create();
  final Udx udxB = Udx.create();
  final UdxStream rawA = udxA.createStream();
  final UdxStream rawB = udxB.createStream();

  /** Connects the two streams through one socket each (nothing goes on the wire yet). */
  void connect() {
    UdxSocket a = udxA.createSocket().bind();
    UdxSocket b = udxB.createSocket().bind();
    rawA.connect(a, rawB.id(), b.localAddress());
    rawB.connect(b, rawA.id(), a.localAddress());
  }

  @Override
  public void close() {
    udxA.close();
    udxB.close();
  }
}
