package io.hyperinfer.udx;

import io.hyperinfer.udx.internal.StreamCore;
import io.hyperinfer.udx.wire.PacketType;
import io.hyperinfer.udx.wire.UdxHeader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A reliable, ordered, congestion-controlled byte stream over UDX, with blocking {@link #read} and {@link #write}
 * meant for virtual threads. Its protocol state lives on the loop thread of the socket it is connected through;
 * every call here becomes a command to that loop. Thread-safe.
 */
public final class UdxStream {
  /** How long a cleanly closed stream keeps acking its peer's retransmitted END. */
  static final long LINGER_NS = 2_000_000_000L;

  private final Udx udx;
  private final int id;
  private final StreamCore core;
  private final StreamBuffers buffers = new StreamBuffers();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final List<Consumer<StreamCore>> beforeConnect = new ArrayList<>();
  private volatile SocketLoop owner;
  private volatile boolean claimed;
  private volatile boolean removed;
  private volatile Firewall firewall = Firewall.DENY;
  private volatile MessageListener messages = (stream, message) -> {};
  private volatile long idleTimeoutNs;
  private volatile long keepaliveNs;
  private volatile int remoteId;
  private volatile InetSocketAddress remote;
  private volatile boolean connected;
  private boolean ended;
  private UdxStream relayTo;
  private RemoteChange change;
  private long scheduledNs = Long.MAX_VALUE;

  private record RemoteChange(SocketLoop loop, int remoteId, InetSocketAddress address, int seq,
      CompletableFuture<Void> done) {}

  UdxStream(Udx udx, int id) {
    this.udx = udx;
    this.id = id;
    this.core = new StreamCore(id, new CoreEvents(this, buffers));
    core.unreadBytes(buffers::unread);
  }

  /** This stream's id: the peer puts it in every packet it sends us. */
  public int id() {
    return id;
  }

  public int remoteId() {
    return remoteId;
  }

  /** The peer's address, or null before connect. */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  public boolean connected() {
    return connected;
  }

  /** Decides on packets that arrive before connect or on another socket; default {@link Firewall#DENY}. */
  public UdxStream firewall(Firewall hook) {
    this.firewall = hook;
    return this;
  }

  /** Receives MESSAGE datagrams on the loop thread; default: dropped. */
  public UdxStream onMessage(MessageListener listener) {
    this.messages = listener;
    return this;
  }

  /** Fail with ETIMEDOUT when the peer sends nothing for this long; default off. Set before connect. */
  public UdxStream idleTimeout(Duration timeout) {
    this.idleTimeoutNs = timeout.toNanos();
    return this;
  }

  /** Send a HEARTBEAT after this long without sending (keeps NAT bindings and idle timeouts alive); default off. */
  public UdxStream keepalive(Duration interval) {
    this.keepaliveNs = interval.toNanos();
    return this;
  }

  /**
   * Sends this stream's packets to {@code remoteId} at {@code address} through {@code socket}. Nothing goes on the
   * wire: UDX has no handshake. Writes made before connect are sent now.
   */
  public void connect(UdxSocket socket, int remoteId, InetSocketAddress address) {
    SocketLoop loop = socket.loop();
    synchronized (this) {
      if (connected) {
        throw UdxException.badState("stream is already connected");
      }
      if (buffers.closed()) {
        throw UdxException.destroyed();
      }
      connected = true;
      claimed = true;
    }
    this.remoteId = remoteId;
    this.remote = address;
    CompletableFuture<Void> attached = new CompletableFuture<>();
    loop.execute(() -> {
      attach(loop, remoteId);
      attached.complete(null);
    });
    if (!SocketLoop.onAnyLoop()) {
      attached.join(); // once connect returns, packets from the peer are processed, never dropped
    }
  }

  /** Writes all of {@code data}, blocking while too much written data awaits acknowledgement. */
  public void write(byte[] data) {
    write(data, 0, data.length);
  }

  public void write(byte[] data, int offset, int length) {
    for (int at = offset; at < offset + length; ) {
      int n = Math.min(StreamBuffers.WRITE_CHUNK, offset + length - at);
      buffers.admitWrite(n, ended);
      byte[] chunk = new byte[n];
      System.arraycopy(data, at, chunk, 0, n);
      submit(c -> c.write(chunk, owner.nowNs()));
      at += n;
    }
  }

  /** Half-closes: the peer reads EOF after the data written so far. Reading continues. */
  public void end() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    submit(c -> c.end(owner.nowNs()));
  }

  /** The next chunk of bytes in order, or null at EOF; blocks. Throws the stream's error once data runs out. */
  public byte[] read() {
    byte[] chunk = buffers.take();
    windowUpdateIfReopened();
    return chunk;
  }

  /** Reads up to {@code length} bytes; returns -1 at EOF; blocks until at least one byte is available. */
  public int read(byte[] into, int offset, int length) {
    int n = buffers.take(into, offset, length);
    windowUpdateIfReopened();
    return n;
  }

  /** Sends one unreliable MESSAGE datagram; throws BAD_STATE before connect. */
  public void send(byte[] message) {
    if (!connected) {
      throw UdxException.badState("stream is not connected");
    }
    if (message.length > StreamCore.MAX_MESSAGE) {
      throw UdxException.badArgument("message larger than a datagram: " + message.length);
    }
    byte[] copy = message.clone();
    submit(c -> c.sendMessage(copy));
  }

  /** Aborts: the peer gets one DESTROY (ECONNRESET there); reads and writes here fail with DESTROYED. */
  public void destroy() {
    buffers.markLocalDestroy();
    synchronized (this) {
      if (!connected) {
        closeUnconnected();
        return;
      }
    }
    submit(StreamCore::destroy);
  }

  /** Completes when the stream closes: normally after both ENDs, exceptionally with a {@link UdxException}. */
  public CompletableFuture<Void> closed() {
    return closeFuture;
  }

  /** Forwards every packet received for this stream, unchanged but for the id, to {@code destination}'s peer. */
  public void relayTo(UdxStream destination) {
    CompletableFuture<Void> set = new CompletableFuture<>();
    submit(c -> {
      relayTo = destination;
      set.complete(null);
    });
    if (connected && !SocketLoop.onAnyLoop()) {
      set.join(); // once this returns, no packet for this stream is consumed locally any more
    }
  }

  /**
   * Moves the stream to a new path once everything sent on the old one is acked; the future completes then. The
   * socket may differ, which hands the stream to that socket's loop.
   */
  public CompletableFuture<Void> changeRemote(UdxSocket socket, int newRemoteId, InetSocketAddress address) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    SocketLoop target = socket.loop();
    submit(c -> {
      change = new RemoteChange(target, newRemoteId, address, c.seq(), done);
      applyRemoteChangeIfDrained();
    });
    return done;
  }

  /** Counters for diagnostics; read racily from other threads. */
  public String stats() {
    return core.stats().toString();
  }

  // ---- loop side ----

  SocketLoop owner() {
    return owner;
  }

  boolean acceptsPackets() {
    return !removed;
  }

  private void attach(SocketLoop loop, int remote) {
    List<Consumer<StreamCore>> queued;
    synchronized (this) {
      owner = loop;
      queued = new ArrayList<>(beforeConnect);
      beforeConnect.clear();
    }
    long now = loop.nowNs();
    if (idleTimeoutNs > 0) {
      core.idleTimeoutNs(idleTimeoutNs, now);
    }
    if (keepaliveNs > 0) {
      core.keepaliveNs(keepaliveNs, now);
    }
    if (!core.closed()) {
      core.connect(remote, now);
    }
    for (Consumer<StreamCore> op : queued) {
      runOp(op);
    }
    reschedule();
  }

  /** The first packet for a stream not yet connected: the firewall decides, and may connect it to the sender. */
  void firstPacket(SocketLoop loop, byte[] packet, InetSocketAddress from) {
    synchronized (this) {
      if (claimed) {
        return;
      }
      claimed = true;
    }
    boolean allowed;
    try {
      allowed = firewall.allow(this, loop.socket, from);
    } catch (RuntimeException e) {
      allowed = false;
    }
    if (allowed && owner == loop) {
      loop.process(this, packet, packet.length, from, loop.socket);
      return;
    }
    synchronized (this) {
      if (!connected) {
        claimed = false;
      }
    }
  }

  void onPacket(UdxHeader header, InetSocketAddress from, UdxSocket via) {
    SocketLoop loop = owner;
    if (via != loop.socket && !allowForeign(via, from)) {
      return;
    }
    if (relayTo != null) {
      relay(header);
      return;
    }
    core.onPacket(header, loop.nowNs());
    applyRemoteChangeIfDrained();
    reschedule();
  }

  private boolean allowForeign(UdxSocket via, InetSocketAddress from) {
    try {
      return firewall.allow(this, via, from);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void relay(UdxHeader header) {
    UdxStream dest = relayTo;
    SocketLoop destLoop = dest.owner;
    int type = header.type();
    if (destLoop != null && dest.remote != null) {
      header.streamId(dest.remoteId);
      byte[] buf = header.buffer();
      int len = UdxHeader.LENGTH + header.dataOffset() + header.payloadLength();
      byte[] copy = java.util.Arrays.copyOf(buf, len);
      try {
        destLoop.sendRaw(copy, dest.remote);
      } catch (UdxException e) {
        udx.sendErrors.incrementAndGet();
      }
    }
    if ((type & PacketType.DESTROY) != 0) {
      core.fail(UdxException.connectionReset());
    }
  }

  private void applyRemoteChangeIfDrained() {
    RemoteChange c = change;
    if (c == null || core.remoteAcked() - c.seq() < 0) {
      return;
    }
    change = null;
    core.remoteId(c.remoteId());
    remoteId = c.remoteId();
    remote = c.address();
    if (c.loop() != owner) {
      SocketLoop next = c.loop();
      owner = next;
      next.execute(() -> {
        scheduledNs = Long.MAX_VALUE;
        reschedule();
      });
    }
    c.done().complete(null);
  }

  private void submit(Consumer<StreamCore> op) {
    SocketLoop loop;
    synchronized (this) {
      loop = owner;
      if (loop == null) {
        beforeConnect.add(op);
        return;
      }
    }
    loop.execute(() -> {
      if (owner != loop) {
        owner.execute(() -> runOp(op));
        return;
      }
      runOp(op);
      reschedule();
    });
  }

  private void runOp(Consumer<StreamCore> op) {
    try {
      op.accept(core);
    } catch (UdxException e) {
      buffers.fail(e); // the caller learns it on its next read or write
    }
  }

  private void reschedule() {
    SocketLoop loop = owner;
    long deadline = removed ? Long.MAX_VALUE : timerDeadlineNs();
    if (deadline < scheduledNs) {
      scheduledNs = deadline;
      loop.timers.schedule(deadline, () -> onTimer(loop, deadline));
    }
  }

  /** The core's next deadline; once a closed core is quiet (it may still be resending its END), the linger's end. */
  private long timerDeadlineNs() {
    long deadline = core.deadlineNs();
    return core.closed() && deadline == Long.MAX_VALUE ? buffers.lingerUntilNs() : deadline;
  }

  private void onTimer(SocketLoop loop, long entryNs) {
    if (owner != loop || removed || entryNs != scheduledNs) {
      return; // superseded by an earlier entry: acting on it would re-arm and multiply stale entries
    }
    scheduledNs = Long.MAX_VALUE;
    long now = loop.nowNs();
    if (core.deadlineNs() <= now) {
      core.onTimer(now);
    }
    if (core.closed() && core.deadlineNs() == Long.MAX_VALUE && now >= buffers.lingerUntilNs()) {
      removeFromTable();
    }
    reschedule();
  }

  /** Called by the core (on the loop) when the stream closed. */
  void onCoreClosed(UdxException error) {
    if (error == null && !buffers.localDestroy()) {
      SocketLoop loop = owner;
      buffers.lingerUntilNs(loop.nowNs() + LINGER_NS);
    } else {
      removeFromTable();
    }
    if (error == null) {
      closeFuture.complete(null);
    } else {
      closeFuture.completeExceptionally(error);
    }
  }

  void sendDatagram(byte[] datagram, int len) {
    owner.send(datagram, len, remote);
  }

  void deliverMessage(byte[] message) {
    try {
      messages.onMessage(this, message);
    } catch (RuntimeException e) {
      udx.badPackets.incrementAndGet();
    }
  }

  void onSocketClosed() {
    removeFromTable();
    if (!core.closed()) {
      core.fail(UdxException.socketClosed());
    }
  }

  private void closeUnconnected() {
    buffers.close(null);
    removeFromTable();
    closeFuture.complete(null);
  }

  private void removeFromTable() {
    removed = true;
    udx.remove(this);
  }

  private void windowUpdateIfReopened() {
    if (buffers.windowReopened() && owner != null) {
      submit(StreamCore::sendAck);
    }
  }
}
