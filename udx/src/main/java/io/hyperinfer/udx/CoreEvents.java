package io.hyperinfer.udx;

import io.hyperinfer.udx.internal.StreamEvents;

/** Connects a stream core's output to its facade. Called on the owning loop thread. */
final class CoreEvents implements StreamEvents {
  private final UdxStream stream;
  private final StreamBuffers buffers;

  CoreEvents(UdxStream stream, StreamBuffers buffers) {
    this.stream = stream;
    this.buffers = buffers;
  }

  @Override
  public void send(byte[] datagram, int len) {
    stream.sendDatagram(datagram, len);
  }

  @Override
  public void onData(byte[] data) {
    if (buffers.deliver(data)) {
      stream.owner().wakeUpAfterBatch(buffers);
    }
  }

  @Override
  public void onEnd() {
    buffers.eof();
  }

  @Override
  public void onMessage(byte[] data) {
    stream.deliverMessage(data);
  }

  @Override
  public void onAcked(int bytes) {
    if (buffers.acked(bytes)) {
      stream.owner().wakeUpAfterBatch(buffers);
    }
  }

  @Override
  public void onClose(UdxException error) {
    buffers.close(error);
    stream.onCoreClosed(error);
  }
}
