package io.hyperinfer.protomux;

import java.util.ArrayList;
import java.util.List;

/** Records channel events for assertions. */
final class RecordingListener implements ChannelListener {
  final List<byte[]> opens = new ArrayList<>();
  final List<Boolean> closes = new ArrayList<>();
  int drains;

  @Override
  public void onOpen(Channel channel, byte[] remoteHandshake) {
    opens.add(remoteHandshake);
  }

  @Override
  public void onClose(Channel channel, boolean byRemote) {
    closes.add(byRemote);
  }

  @Override
  public void onDrain(Channel channel) {
    drains++;
  }
}
