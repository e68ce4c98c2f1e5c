package io.hyperinfer.udx;

import io.hyperinfer.udx.internal.StreamEvents;

/** Connects a stream core's output to its facade. Called on the owning loop thread. */
final class CoreEvents implements StreamEvents {
  private final UdxStream stream;
  private final StreamBuffers buffers;
  private final PushDelivery push;

  CoreEvents(UdxStream stream, StreamBuffers buffers, PushDelivery push) {
    this.stream = stream;
    this.buffers = buffers;
    this.push = push;
  }

  @Override
  public void send(byte[] datagram, int len) {
    stream.sendDatagram(datagram, len);
  }

  @Override
  public void onData(byte[] data) {
    buffers.deliver(data);
    if (push.listening()) {
      stream.inBatch();
    } else if (buffers.markWakeUp()) {
      stream.owner().batch.wake(buffers);
    }
  }

  @Override
  public void onEnd() {
    buffers.eof();
    if (push.listening()) {
      stream.inBatch();
    }
  }

  @Override
  public void ackDeferred() {
    stream.inBatch();
  }

  @Override
  public void onMessage(byte[] data) {
    stream.deliverMessage(data);
  }

  @Override
  public void onAcked(int bytes) {
    buffers.acked(bytes);
    if (buffers.markWakeUp()) {
      stream.owner().batch.wake(buffers);
    }
  }

  @Override
  public void onClose(UdxException error) {
    buffers.close(error);
    push.closed(error);
    stream.onCoreClosed(error);
  }
}
