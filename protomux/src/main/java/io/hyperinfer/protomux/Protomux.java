package io.hyperinfer.protomux;

import io.hyperinfer.protomux.internal.ChannelInfo;
import io.hyperinfer.protomux.internal.RemoteSlot;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.EncodingException;
import io.hyperinfer.protomux.wire.MuxFrames;
import io.hyperinfer.protomux.wire.OutgoingBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Protomux 3.12.1: many channels, each a protocol name plus optional id, over one stream of whole messages. Sans-I/O:
 * feed inbound messages to {@link #receive}; outbound ones go to the {@link MessageTransport}.
 *
 * <p>Thread-safe: every entry point takes this mux's lock, and listeners run with it held (they must not block).
 */
public final class Protomux {
  /** Bytes of early messages kept per mux before reading pauses (protomux MAX_BUFFERED). */
  public static final int MAX_BUFFERED = 32 * 1024;
  /** A corked batch never grows past this size (protomux MAX_BATCH). */
  public static final int MAX_BATCH = 8 * 1024 * 1024;
  /** Most bytes a batch adds around one message: a channel switch (0 + id) and the message's length. */
  private static final int BATCH_ITEM_OVERHEAD = 1 + 9 + 9;
  /** Batches inside batches deeper than this are hostile input. */
  static final int MAX_BATCH_DEPTH = 4;
  private static final int PENDING_OVERHEAD = 512;

  private final MessageTransport transport;
  private final List<Channel> local = new ArrayList<>();
  private final Deque<Long> free = new ArrayDeque<>();
  private final List<RemoteSlot> remote = new ArrayList<>();
  private final Map<String, ChannelInfo> infos = new HashMap<>();
  private final Map<String, PairListener> pairListeners = new HashMap<>();
  private final OutgoingBatch batch = new OutgoingBatch();
  private boolean drained = true;
  private boolean destroyed;
  private Throwable destroyCause;
  private boolean paused;
  private long buffered;
  private int corked;
  private int batchDepth;

  public Protomux(MessageTransport transport) {
    this.transport = transport;
  }

  /**
   * Creates a channel. If the peer already opened this protocol and id, the channel pairs with that open when
   * {@link Channel#open} is called.
   *
   * @param unique when true, returns null if a channel for this protocol and id is already open here
   * @return the channel, or null if the mux is destroyed or {@code unique} forbids a second one
   */
  public synchronized Channel createChannel(String protocol, byte[] id, boolean unique, ChannelListener listener) {
    if (destroyed) {
      return null;
    }
    ChannelInfo info = info(protocol, id);
    if (unique && info.opened > 0) {
      return null;
    }
    Channel channel = new Channel(this, info, protocol, id == null ? null : id.clone(), listener);
    if (info.incoming.isEmpty()) {
      return channel;
    }
    long remoteId = info.incoming.poll();
    RemoteSlot slot = remote.get((int) remoteId - 1);
    if (slot == null) {
      return null;
    }
    slot.session = channel;
    channel.remoteId = remoteId;
    return channel;
  }

  /** Same as {@code createChannel(protocol, id, true, listener)}. */
  public Channel createChannel(String protocol, byte[] id, ChannelListener listener) {
    return createChannel(protocol, id, true, listener);
  }

  /** Routes remote opens of this protocol (and id, or any id when {@code id} is null) to {@code listener}. */
  public synchronized void pair(String protocol, byte[] id, PairListener listener) {
    pairListeners.put(key(protocol, id), listener);
  }

  public synchronized void unpair(String protocol, byte[] id) {
    pairListeners.remove(key(protocol, id));
  }

  /** True while at least one local channel of this protocol and id is open. */
  public synchronized boolean opened(String protocol, byte[] id) {
    ChannelInfo info = infos.get(key(protocol, id));
    return info != null && info.opened > 0;
  }

  /** True when no local channel holds an id. */
  public synchronized boolean isIdle() {
    return local.size() == free.size();
  }

  /** False after the transport reported fullness and before it drained. */
  public synchronized boolean isDrained() {
    return drained;
  }

  /** What {@link #destroy} was given (the decode error for bad input); null if none or not destroyed. */
  public synchronized Throwable destroyCause() {
    return destroyCause;
  }

  public synchronized boolean isDestroyed() {
    return destroyed;
  }

  /** Collects outgoing messages into one batch message until the matching {@link #uncork()}. */
  public synchronized void cork() {
    corked++;
  }

  public synchronized void uncork() {
    if (corked > 0 && --corked == 0) {
      flushBatch();
    }
  }

  /** Sends what a cork holds so far at once; later messages are still batched until the matching uncork. */
  public synchronized void flush() {
    flushBatch();
  }

  /** One whole inbound message. Malformed input destroys the mux (and the transport), as in JS. */
  public synchronized void receive(byte[] message) {
    if (destroyed || message.length == 0) {
      return;
    }
    try {
      Buf buf = Buf.wrap(message);
      dispatch(buf.readUint(), buf);
    } catch (ProtomuxException e) {
      destroy(e);
    } catch (EncodingException e) {
      destroy(ProtomuxException.decodeError(e.getMessage(), e));
    } catch (RuntimeException e) {
      destroy(ProtomuxException.decodeError("listener or decoder failed", e));
    }
  }

  /** The transport accepted everything it queued; channels get {@link ChannelListener#onDrain}. */
  public synchronized void onTransportDrained() {
    drained = true;
    for (Channel channel : new ArrayList<>(local)) {
      if (channel != null) {
        channel.listener().onDrain(channel);
      }
    }
  }

  /** The transport closed underneath: every channel closes as if by the remote. */
  public synchronized void onTransportClosed() {
    shutdown(Channel.CloseCause.TRANSPORT_CLOSED);
  }

  /** Destroys the mux: closes the transport with {@code cause} and every channel. */
  public synchronized void destroy(Throwable cause) {
    if (destroyed) {
      return;
    }
    destroyCause = cause;
    shutdown(Channel.CloseCause.MUX_DESTROYED);
    transport.close(cause);
  }

  private void shutdown(Channel.CloseCause cause) {
    destroyed = true;
    for (Channel channel : new ArrayList<>(local)) {
      if (channel != null) {
        channel.closeLocally(cause);
      }
    }
  }

  private void dispatch(long remoteId, Buf buf) {
    long type = buf.readUint();
    if (remoteId == 0) {
      control(type, buf);
      return;
    }
    RemoteSlot slot = remoteId > 0 && remoteId <= remote.size() ? remote.get((int) remoteId - 1) : null;
    if (slot == null) {
      return;
    }
    if (slot.pending != null) {
      byte[] payload = buf.readBytes(buf.remaining());
      slot.pending.add(new RemoteSlot.Pending(type, payload));
      buffered += PENDING_OVERHEAD + payload.length;
      pauseMaybe();
      return;
    }
    slot.session.deliver(type, buf);
  }

  private void control(long type, Buf buf) {
    switch ((int) Math.min(type, 4)) {
      case MuxFrames.BATCH -> onBatch(buf);
      case MuxFrames.OPEN -> onOpen(buf);
      case MuxFrames.REJECT -> onReject(buf.readUint());
      case MuxFrames.CLOSE -> onClose(buf.readUint());
      default -> { }
    }
  }

  private void onBatch(Buf buf) {
    if (++batchDepth > MAX_BATCH_DEPTH) {
      throw ProtomuxException.decodeError("batches nested too deep", null);
    }
    boolean corkedHere = false;
    try {
      long remoteId = buf.readUint();
      while (buf.remaining() > 0) {
        long length = buf.readUint();
        if (length == 0) {
          remoteId = buf.readUint();
          continue;
        }
        int itemLength = (int) Math.min(length, buf.remaining());
        if (itemLength != buf.remaining() && !corkedHere) {
          corkedHere = true;
          corked++;
        }
        dispatch(remoteId, Buf.wrap(buf.array(), buf.position(), itemLength));
        buf.skip(itemLength);
      }
    } finally {
      batchDepth--;
      if (corkedHere) {
        uncork();
      }
    }
  }

  private void onOpen(Buf buf) {
    long remoteId = buf.readUint();
    String protocol = Compact.STRING.decode(buf);
    byte[] id = Compact.OPTIONAL_BUFFER.decode(buf);
    byte[] handshake = buf.readBytes(buf.remaining());
    if (remoteId == 0) {
      return;
    }
    if (remoteId - 1 == remote.size()) {
      remote.add(null);
    }
    if (remoteId - 1 >= remote.size() || remote.get((int) remoteId - 1) != null) {
      throw ProtomuxException.invalidOpen(remoteId);
    }
    int slotIndex = (int) remoteId - 1;
    ChannelInfo info = info(protocol, id);
    if (!info.outgoing.isEmpty()) {
      long localId = info.outgoing.poll();
      Channel channel = local.get((int) localId - 1);
      if (channel == null) {
        free.push(localId - 1);
        return;
      }
      remote.set(slotIndex, new RemoteSlot(handshake, false));
      channel.remoteId = remoteId;
      channel.fullyOpen();
      return;
    }
    remote.set(slotIndex, new RemoteSlot(handshake, true));
    info.incoming.add(remoteId);
    PairListener listener = pairListeners.get(key(protocol, id));
    if (listener == null) {
      listener = pairListeners.get(key(protocol, null));
    }
    if (listener != null) {
      listener.onPair(this, protocol, id);
    }
    while (!info.incoming.isEmpty()) {
      reject(info.incoming.poll());
    }
    gc(info);
  }

  private void onReject(long localId) {
    for (ChannelInfo info : infos.values()) {
      if (info.outgoing.remove(localId)) {
        free.push(localId - 1);
        Channel channel = local.get((int) localId - 1);
        if (channel != null) {
          channel.closeLocally(Channel.CloseCause.REJECTED);
        }
        gc(info);
        return;
      }
    }
    throw ProtomuxException.invalidReject(localId);
  }

  private void onClose(long remoteId) {
    RemoteSlot slot = remoteId > 0 && remoteId <= remote.size() ? remote.get((int) remoteId - 1) : null;
    if (slot != null && slot.session != null) {
      slot.session.closeLocally(Channel.CloseCause.REMOTE_CLOSED);
    }
  }

  private void reject(long remoteId) {
    RemoteSlot slot = remote.set((int) remoteId - 1, null);
    if (slot != null && slot.pending != null) {
      for (RemoteSlot.Pending p : slot.pending) {
        buffered -= PENDING_OVERHEAD + p.payload().length;
      }
      resumeMaybe();
    }
    writeControl(MuxFrames.reject(remoteId));
  }

  // ---- called by Channel with the lock held ----

  long allocateLocalId(Channel channel) {
    long id;
    if (free.isEmpty()) {
      local.add(channel);
      id = local.size();
    } else {
      id = free.pop() + 1;
      local.set((int) id - 1, channel);
    }
    return id;
  }

  void releaseLocalId(long localId) {
    local.set((int) localId - 1, null);
  }

  void releaseRemote(long localId, long remoteId) {
    RemoteSlot slot = remote.set((int) remoteId - 1, null);
    if (slot != null && slot.pending != null) {
      for (RemoteSlot.Pending p : slot.pending) {
        buffered -= PENDING_OVERHEAD + p.payload().length;
      }
      resumeMaybe();
    }
    if (localId > 0) {
      free.push(localId - 1);
    }
  }

  RemoteSlot remoteSlot(long remoteId) {
    return remote.get((int) remoteId - 1);
  }

  void drainPending(RemoteSlot slot, Channel channel) {
    List<RemoteSlot.Pending> pending = slot.pending;
    slot.pending = null;
    if (pending == null) {
      return;
    }
    for (RemoteSlot.Pending p : pending) {
      buffered -= PENDING_OVERHEAD + p.payload().length;
      if (!destroyed) {
        channel.deliver(p.type(), Buf.wrap(p.payload()));
      }
    }
    resumeMaybe();
  }

  void gc(ChannelInfo info) {
    if (info.unused()) {
      infos.remove(info.key);
    }
  }

  void writeControl(byte[] frame) {
    if (corked > 0) {
      pushBatch(0, frame, 1);
      return;
    }
    write(frame);
  }

  /** Sends one channel message; batched when corked. */
  <T> boolean writeChannel(long localId, long type, Codec<T> codec, T value) {
    if (corked > 0) {
      pushBatch(localId, MuxFrames.body(type, codec, value), 0);
      return true;
    }
    return write(MuxFrames.message(localId, type, codec, value));
  }

  private boolean write(byte[] frame) {
    if (destroyed) {
      return false;
    }
    drained = transport.send(frame);
    return drained;
  }

  private void pushBatch(long localId, byte[] body, int offset) {
    int length = body.length - offset;
    // Unlike JS (flush once a batch has passed MAX_BATCH), keep every batch under it, so a large message corked after
    // others can never make a frame the secret stream must refuse; a message that large on its own goes out alone.
    if (!batch.isEmpty() && batch.size() + BATCH_ITEM_OVERHEAD + length > MAX_BATCH) {
      flushBatch();
    }
    if (BATCH_ITEM_OVERHEAD + length > MAX_BATCH) {
      write(unbatched(localId, body, offset));
      return;
    }
    batch.add(localId, body, offset);
  }

  private static byte[] unbatched(long localId, byte[] body, int offset) {
    Buf buf = Buf.allocate(Buf.uintLength(localId) + body.length - offset);
    buf.writeUint(localId);
    buf.writeBytes(body, offset, body.length - offset);
    return buf.array();
  }

  private void flushBatch() {
    if (!batch.isEmpty()) {
      write(batch.encodeAndClear());
    }
  }

  private void pauseMaybe() {
    if (!paused && buffered > MAX_BUFFERED) {
      paused = true;
      transport.setReadPaused(true);
    }
  }

  private void resumeMaybe() {
    if (paused && buffered <= MAX_BUFFERED) {
      paused = false;
      transport.setReadPaused(false);
    }
  }

  private ChannelInfo info(String protocol, byte[] id) {
    return infos.computeIfAbsent(key(protocol, id), ChannelInfo::new);
  }

  static String key(String protocol, byte[] id) {
    return protocol + "##" + (id == null ? "" : HexFormat.of().formatHex(id));
  }
}
