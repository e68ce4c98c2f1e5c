package io.hyperinfer.udx;

import io.hyperinfer.udx.internal.StreamCore;
import io.hyperinfer.udx.wire.PacketType;
import io.hyperinfer.udx.wire.UdxHeader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A reliable, ordered, congestion-controlled byte stream over UDX. Bytes are taken with blocking {@link #read} (for
 * virtual threads) or pushed to a {@link StreamListener} on the loop thread. Its protocol state is owned by the
 * {@link UdxLoop} of the socket it is connected through; every call here becomes a command to that loop, run by the
 * calling thread itself when the loop sleeps (see {@link UdxLoop}). Thread-safe.
 */
public final class UdxStream {
  /** How long a cleanly closed stream keeps acking its peer's retransmitted END. */
  static final long LINGER_NS = 2_000_000_000L;
  /** Packets a stream keeps that its firewall refused before it was connected (see {@link #firstPacket}). */
  static final int EARLY_PACKETS = 4;

  private final Udx udx;
  private final int id;
  private final StreamCore core;
  private final StreamBuffers buffers = new StreamBuffers();
  private final PushDelivery push = new PushDelivery(this, buffers);
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  /** Operations from callers, in call order; run by whoever owns the loop next (queued before connect). */
  private final ConcurrentLinkedQueue<Consumer<StreamCore>> ops = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private volatile UdxLoop owner;
  private volatile UdxSocket socket;
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
  private boolean inBatch;
  private UdxStream relayTo;
  private RemoteChange change;
  private long scheduledNs = Long.MAX_VALUE;
  /** Leads in a row whose reply missed the spin window ({@link LoopLeader}); racy by design, a hint only. */
  volatile int leadSpinMisses;

  /** Refused before connect, kept in arrival order; guarded by this. */
  private final ArrayDeque<Early> early = new ArrayDeque<>(EARLY_PACKETS);

  private record Early(UdxSocket via, byte[] packet, InetSocketAddress from) {}

  private record RemoteChange(UdxSocket socket, int remoteId, InetSocketAddress address, int seq,
      CompletableFuture<Void> done) {}

  UdxStream(Udx udx, int id) {
    this.udx = udx;
    this.id = id;
    this.core = new StreamCore(id, new CoreEvents(this, buffers, push));
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

  /**
   * Pushes the stream's bytes, end and close to {@code listener} on the loop thread from now on, instead of
   * {@link #read}; bytes already received go first. Set it once, before or after connect.
   */
  public UdxStream listener(StreamListener listener) {
    push.listen(listener);
    UdxLoop loop = owner;
    if (loop != null) {
      loop.execute(this::finishBatch);
    }
    return this;
  }

  /** Stops pushing bytes to the listener; they stay buffered and shrink the receive window the peer sees. */
  public void pause() {
    push.pause(true);
  }

  /** Pushes again what was held back by {@link #pause}, then new bytes as they come. */
  public void resume() {
    push.pause(false);
    UdxLoop loop = owner;
    if (loop != null) {
      loop.execute(this::finishBatch);
    }
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
   * wire: UDX has no handshake. Writes made before connect are sent now. Returns once packets from the peer are
   * processed (at once when called from a loop thread).
   */
  public void connect(UdxSocket socket, int remoteId, InetSocketAddress address) {
    UdxLoop loop = socket.loop();
    socket.channel();
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
    this.socket = socket;
    loop.call(() -> attach(loop, remoteId));
  }

  /**
   * Writes all of {@code data}. Off the loop it blocks while too much written data awaits acknowledgement; on the
   * loop thread (a listener's reply) it never blocks: the bytes are queued whatever the backlog.
   */
  public void write(byte[] data) {
    write(data, 0, data.length);
  }

  public void write(byte[] data, int offset, int length) {
    queue(data, offset, length, !UdxLoop.onAnyLoop());
  }

  /**
   * Queues all of {@code data} without ever blocking, whatever the backlog of unacked bytes, and returns whether the
   * backlog is still below the high watermark (as a JS {@code write} returns false when the caller should wait for
   * drain). For callers that must not block, such as a writer holding a lock the loop thread may need; they bound
   * what they queue with {@link #awaitWritable} outside that lock.
   */
  public boolean writeQueued(byte[] data, int offset, int length) {
    queue(data, offset, length, false);
    return writable();
  }

  /** Whether the backlog of written, unacked bytes is below the high watermark (4 MiB). */
  public boolean writable() {
    return buffers.belowWatermark();
  }

  /**
   * Blocks while the backlog is at the high watermark; returns at once on a loop thread, or once the stream failed
   * or closed (the next write then throws why).
   */
  public void awaitWritable() {
    if (!UdxLoop.onAnyLoop()) {
      buffers.awaitWritable();
    }
  }

  private void queue(byte[] data, int offset, int length, boolean mayBlock) {
    LoopLeader.noteWrite(this);
    for (int at = offset; at < offset + length; ) {
      int n = Math.min(StreamBuffers.WRITE_CHUNK, offset + length - at);
      buffers.admitWrite(n, ended, mayBlock);
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
    push.requirePull();
    byte[] chunk = buffers.take();
    windowUpdateIfReopened();
    return chunk;
  }

  /** Reads up to {@code length} bytes; returns -1 at EOF; blocks until at least one byte is available. */
  public int read(byte[] into, int offset, int length) {
    push.requirePull();
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
    if (connected && !UdxLoop.onAnyLoop()) {
      set.join(); // once this returns, no packet for this stream is consumed locally any more
    }
  }

  /**
   * Moves the stream to a new path once everything sent on the old one is acked; the future completes then. The
   * socket may differ, which hands the stream to that socket's loop if it has another.
   */
  public CompletableFuture<Void> changeRemote(UdxSocket socket, int newRemoteId, InetSocketAddress address) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    socket.channel();
    submit(c -> {
      change = new RemoteChange(socket, newRemoteId, address, c.seq(), done);
      applyRemoteChangeIfDrained();
    });
    return done;
  }

  /** The loop that owns this stream, or null before connect. */
  public UdxLoop loop() {
    return owner;
  }

  /** Counters for diagnostics; read racily from other threads. */
  public String stats() {
    return core.stats().toString();
  }

  // ---- loop side ----

  UdxLoop owner() {
    return owner;
  }

  /** The socket this stream sends through, or null before connect. */
  public UdxSocket socket() {
    return socket;
  }

  boolean acceptsPackets() {
    return !removed;
  }

  private void attach(UdxLoop loop, int remote) {
    synchronized (this) {
      owner = loop;
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
    drainOps(loop);
    replayEarly(loop);
    if (push.listening() || buffers.closed()) {
      inBatch(); // bytes or a close that arrived before the listener was reachable
    }
    reschedule();
  }

  /**
   * The first packet for a stream not yet connected: the firewall decides, and may connect it to the sender. A packet
   * that comes once {@link #connect} was called but before the loop attached the stream is kept for the attach to
   * replay like the firewall's refusals: a peer's DESTROY is sent once and never again, so dropping it here left
   * the stream open to a peer that had already let it go (it surfaced as a refused swarm connection that stayed up
   * until its retransmissions gave up, about 13 s).
   */
  void firstPacket(UdxSocket via, byte[] packet, InetSocketAddress from) {
    UdxLoop attached;
    synchronized (this) {
      attached = connected ? owner : null;
      if (connected && attached == null) {
        if (early.size() < EARLY_PACKETS) {
          early.add(new Early(via, packet, from));
        }
        return;
      }
      if (attached == null) {
        if (claimed) {
          return;
        }
        claimed = true;
      }
    }
    if (attached != null) {
      attached.execute(() -> via.process(attached, this, packet, packet.length, from)); // attached meanwhile
      return;
    }
    UdxLoop loop = via.loop();
    boolean allowed;
    try {
      allowed = firewall.allow(this, via, from);
    } catch (RuntimeException e) {
      allowed = false;
    }
    if (allowed && owner == loop) {
      via.process(loop, this, packet, packet.length, from);
      return;
    }
    synchronized (this) {
      if (!connected) {
        claimed = false;
        if (!allowed && early.size() < EARLY_PACKETS) {
          early.add(new Early(via, packet, from));
        }
      }
    }
  }

  /**
   * Processes the packets the firewall refused before connect that came from the peer this stream now sends to,
   * through its socket: a peer's first packets often race the rendezvous that tells us who it is (a server's first
   * bytes beating the handshake reply that carries its stream id), and dropping them would cost its retransmission
   * timeout (about a second). udx-native gets the same effect by processing a packet the firewall lets through
   * before connect. On the owning loop.
   */
  private void replayEarly(UdxLoop loop) {
    Early[] held;
    synchronized (this) {
      held = early.toArray(Early[]::new);
      early.clear();
    }
    for (Early e : held) {
      if (e.via() == socket && e.via().loop() == loop && e.from().equals(remote) && !core.closed()) {
        e.via().process(loop, this, e.packet(), e.packet().length, e.from());
      }
    }
  }

  void onPacket(UdxHeader header, InetSocketAddress from, UdxSocket via) {
    UdxLoop loop = owner;
    if (via != socket && !allowForeign(via, from)) {
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

  /** Registers this stream for the end of the loop's current batch (once). */
  void inBatch() {
    if (!inBatch) {
      inBatch = true;
      owner.batch.add(this);
    }
  }

  /** End of a batch, on the loop thread: push what arrived to the listener, then time the ack still owed. */
  void finishBatch() {
    inBatch = false;
    push.deliver();
    if (buffers.windowReopened()) {
      core.sendAck();
    }
    core.flushAck(owner.nowNs());
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
    UdxSocket destSocket = dest.socket;
    int type = header.type();
    if (destSocket != null && dest.remote != null) {
      header.streamId(dest.remoteId);
      byte[] buf = header.buffer();
      int len = UdxHeader.LENGTH + header.dataOffset() + header.payloadLength();
      byte[] copy = java.util.Arrays.copyOf(buf, len);
      try {
        destSocket.send(copy, dest.remote);
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
    UdxLoop next = c.socket().loop();
    socket = c.socket();
    if (next != owner) {
      owner = next;
      next.execute(() -> {
        scheduledNs = Long.MAX_VALUE;
        reschedule();
      });
    }
    c.done().complete(null);
  }

  /**
   * Queues {@code op} behind this stream's earlier ones and gets them run: at once when the loop needs no hand-off
   * for it, else by one queued drain. Whichever thread runs them, they run in call order (a secret stream's frames
   * must reach the wire in the order they were sealed).
   */
  private void submit(Consumer<StreamCore> op) {
    UdxLoop loop;
    synchronized (this) {
      ops.add(op);
      loop = owner;
      if (loop == null) {
        return; // attach runs it
      }
    }
    if (!loop.tryRunNow(() -> drainOps(loop)) && drainQueued.compareAndSet(false, true)) {
      loop.submit(() -> {
        drainQueued.set(false);
        drainOps(loop);
      });
    }
  }

  /** Runs the queued operations; the owner of {@code loop} only. */
  private void drainOps(UdxLoop loop) {
    UdxLoop current = owner;
    if (current != loop) {
      current.execute(() -> drainOps(current)); // handed to another loop meanwhile
      return;
    }
    for (Consumer<StreamCore> op; (op = ops.poll()) != null; ) {
      runOp(op);
    }
    reschedule();
  }

  private void runOp(Consumer<StreamCore> op) {
    try {
      op.accept(core);
    } catch (UdxException e) {
      buffers.fail(e); // the caller learns it on its next read or write
    }
  }

  private void reschedule() {
    UdxLoop loop = owner;
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

  private void onTimer(UdxLoop loop, long entryNs) {
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
      buffers.lingerUntilNs(owner.nowNs() + LINGER_NS);
    } else {
      removeFromTable();
    }
    if (push.listening()) {
      inBatch();
    }
    if (error == null) {
      closeFuture.complete(null);
    } else {
      closeFuture.completeExceptionally(error);
    }
  }

  void sendDatagram(byte[] datagram, int len) {
    socket.sendOwned(datagram, len, remote);
  }

  void deliverMessage(byte[] message) {
    try {
      messages.onMessage(this, message);
    } catch (RuntimeException e) {
      udx.badPackets.incrementAndGet();
    }
  }

  /** A listener threw: count it and destroy the stream, since bytes it dropped cannot be delivered again. */
  void onListenerFailure(RuntimeException e) {
    udx.loopFailures.incrementAndGet();
    destroy();
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
