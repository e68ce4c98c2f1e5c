package io.hyperinfer.worker.net;

/** Where a dispatcher sends the serialised outcome of one inbound call; the transport carries it back. */
interface ReplyPort {
  void result(byte[] json);

  void error(byte[] errorJson);

  void chunk(long seq, byte[] json);

  /** Ends a stream after {@code count} chunks. */
  void end(long count, byte[] json);
}
