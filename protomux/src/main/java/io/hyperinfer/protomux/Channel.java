package io.hyperinfer.protomux;

import io.hyperinfer.protomux.internal.ChannelInfo;
import io.hyperinfer.protomux.internal.RemoteSlot;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.protomux.wire.MuxFrames;
import java.util.ArrayList;
import java.util.List;

/**
 * One protocol session on a {@link Protomux}. Create it with {@link Protomux#createChannel}, add message types with
 * {@link #addMessage} (their order is their wire type: 0, 1, ...), then {@link #open}. Thread-safe through the mux
 * lock.
 */
public final class Channel {
  /** Why a channel closed, for a caller that must say so (JS tells these apart only by the order of events). */
  public enum CloseCause {
    /** {@link #close} was called here. */
    LOCAL,
    /** The peer rejected our open: it had no channel of this protocol and id waiting. */
    REJECTED,
    /** The peer closed its end of the channel. */
    REMOTE_CLOSED,
    /** The stream under the mux closed. */
    TRANSPORT_CLOSED,
    /** The mux was destroyed (bad input, or {@link Protomux#destroy}); see {@link Protomux#destroyCause}. */
    MUX_DESTROYED
  }

  private final Protomux mux;
  private final ChannelInfo info;
  private final String protocol;
  private final byte[] id;
  private final ChannelListener listener;
  private final List<Message<?>> messages = new ArrayList<>();
  private byte[] remoteHandshake;
  private boolean openCalled;
  private boolean opened;
  private boolean closed;
  private CloseCause closeCause;
  private long localId;
  long remoteId;

  Channel(Protomux mux, ChannelInfo info, String protocol, byte[] id, ChannelListener listener) {
    this.mux = mux;
    this.info = info;
    this.protocol = protocol;
    this.id = id;
    this.listener = listener;
  }

  /** Adds the next message type; {@code codec} turns values into the payload after the type and back. */
  public <T> Message<T> addMessage(Codec<T> codec, MessageListener<T> onMessage) {
    synchronized (mux) {
      Message<T> message = new Message<>(this, messages.size(), codec, onMessage);
      messages.add(message);
      return message;
    }
  }

  /**
   * Sends the open (with {@code handshake} bytes after the id, none when null). The channel is opened once the peer's
   * open arrived too; if it already did, this pairs at once and replays the messages the peer sent meanwhile.
   */
  public void open(byte[] handshake) {
    synchronized (mux) {
      if (openCalled || closed) {
        throw ProtomuxException.invalidState("channel already opened or closed");
      }
      openCalled = true;
      info.opened++;
      localId = mux.allocateLocalId(this);
      if (remoteId == 0) {
        info.outgoing.add(localId);
      }
      mux.writeControl(MuxFrames.open(localId, protocol, id, handshake));
      if (remoteId != 0) {
        fullyOpen();
      }
    }
  }

  /** Closes this side and tells the peer; pending state is dropped. Idempotent. */
  public void close() {
    synchronized (mux) {
      if (closed) {
        return;
      }
      long sentId = localId;
      closeLocally(CloseCause.LOCAL);
      if (sentId != 0) {
        mux.writeControl(MuxFrames.close(sentId));
      }
    }
  }

  public void cork() {
    mux.cork();
  }

  public void uncork() {
    mux.uncork();
  }

  public String protocol() {
    return protocol;
  }

  public byte[] id() {
    return id == null ? null : id.clone();
  }

  public Protomux mux() {
    return mux;
  }

  /** The bytes after the id in the peer's open (empty when it sent none); null until opened. */
  public byte[] remoteHandshake() {
    synchronized (mux) {
      return remoteHandshake == null ? null : remoteHandshake.clone();
    }
  }

  public boolean isOpened() {
    synchronized (mux) {
      return opened;
    }
  }

  public boolean isClosed() {
    synchronized (mux) {
      return closed;
    }
  }

  /** Why the channel closed; null while it is not closed. */
  public CloseCause closeCause() {
    synchronized (mux) {
      return closeCause;
    }
  }

  public boolean isDrained() {
    return mux.isDrained();
  }

  ChannelListener listener() {
    return listener;
  }

  void fullyOpen() {
    if (opened || closed) {
      return;
    }
    RemoteSlot slot = mux.remoteSlot(remoteId);
    remoteHandshake = slot.handshake;
    slot.handshake = null;
    slot.session = this;
    opened = true;
    listener.onOpen(this, remoteHandshake.clone());
    mux.drainPending(slot, this);
  }

  void deliver(long type, Buf payload) {
    if (type < messages.size() && !closed) {
      messages.get((int) type).receive(payload);
    }
  }

  /** False when the transport wants to drain first (or the channel is closed). */
  <T> boolean send(long type, Codec<T> codec, T value) {
    if (closed) {
      return false;
    }
    if (localId == 0) {
      throw ProtomuxException.invalidState("send before open");
    }
    return mux.writeChannel(localId, type, codec, value);
  }

  void closeLocally(CloseCause cause) {
    if (closed) {
      return;
    }
    closed = true;
    closeCause = cause;
    if (openCalled) {
      info.opened--;
    }
    if (remoteId > 0) {
      mux.releaseRemote(localId, remoteId);
      remoteId = 0;
    }
    if (localId > 0) {
      mux.releaseLocalId(localId);
      localId = 0;
    }
    mux.gc(info);
    listener.onClose(this, cause != CloseCause.LOCAL);
  }
}
