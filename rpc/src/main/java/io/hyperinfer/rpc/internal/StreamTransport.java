package io.hyperinfer.rpc.internal;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.protomux.MessageTransport;
import io.hyperinfer.protomux.Protomux;
import io.hyperinfer.protomux.wire.MuxFrames;
import io.hyperinfer.protomux.wire.OutgoingBatch;
import io.hyperinfer.secretstream.SecretStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A mux's transport over a secret stream. Sends never block (the mux calls them with its lock held): messages are
 * written at once only when that cannot block, else queued for one virtual thread that writes them, so a full
 * transport can never stop this side from reading. Reading pauses go to the stream ({@link
 * SecretStream#setReadPaused}) and gate {@link #awaitReadable()} for a thread that feeds the mux itself. Small messages that queue up while a
 * write is in progress go out together as one protomux batch, as a corked JS mux sends them. Thread-safe.
 */
public final class StreamTransport implements MessageTransport {
  /** Queued bytes above which sends report "not drained". */
  public static final long HIGH_WATER = 4L << 20;
  /** Queued small messages are coalesced into one protomux batch of at most this many bytes. */
  static final int MAX_COALESCED = 64 * 1024;
  private static final int MAX_COALESCED_ITEM = 8 * 1024;
  private static final int MAX_INLINE = 4 * 1024;
  /** A connection with no write for this long counts as idle: the next send may be written by its caller. */
  private static final long IDLE_NS = 20_000;
  private static final byte[] END = new byte[0];
  private static final byte[] STOP = new byte[0];

  private final SecretStream stream;
  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final Object pauseLock = new Object();
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile Protomux mux;
  private volatile boolean ending;
  private volatile long lastWriteNs = System.nanoTime() - IDLE_NS;
  private volatile boolean full;
  private volatile boolean receivedSinceWrite;
  private volatile boolean closed;
  private volatile boolean paused; // written under pauseLock; read without it by the per-message check

  public StreamTransport(SecretStream stream) {
    this.stream = stream;
  }

  /** Starts the writer; {@code mux} gets drain and close signals. */
  public void start(Protomux mux) {
    this.mux = mux;
    Thread.ofVirtual().name("rpc-writer").start(this::writeLoop);
  }

  @Override
  public boolean send(byte[] message) {
    if (closed) {
      return false;
    }
    // Sends are serialised by the mux lock, so on an idle connection (nothing queued or in flight, nothing written
    // just now) this one may go out directly, saving the hand-off to the writer: the latency of a sequential
    // request or response. Back-to-back sends are queued instead, so the writer can coalesce them. Only small
    // messages on an idle connection: a caller blocked in a write holds the mux lock and so stalls our reader, and
    // an idle connection's socket buffers are empty.
    // A message received since our last write also makes this a reply turn, however recent that write.
    // The write itself must not block either (a transport's backlog, another writer): tryWrite declines instead.
    if (message.length <= MAX_INLINE && queued.get() == 0 && !ending
        && (receivedSinceWrite || System.nanoTime() - lastWriteNs > IDLE_NS) && writeLock.tryLock()) {
      try {
        if (stream.tryWrite(message)) {
          lastWriteNs = System.nanoTime();
          receivedSinceWrite = false;
          return true;
        }
      } catch (RuntimeException e) {
        closed = true;
        stream.destroy(e);
        return false;
      } finally {
        writeLock.unlock();
      }
    }
    long total = queued.addAndGet(message.length);
    queue.add(message);
    if (total > HIGH_WATER) {
      full = true;
      return false;
    }
    return true;
  }

  /** Pauses the stream's reading side (it may run on a transport thread that must not block) and gates the feeder. */
  @Override
  public void setReadPaused(boolean pause) {
    synchronized (pauseLock) {
      paused = pause;
      pauseLock.notifyAll();
    }
    stream.setReadPaused(pause);
  }

  /** The peer sent something: our next small send answers it and may go out at once. */
  public void onReceived() {
    receivedSinceWrite = true;
  }

  /** Blocks the feeding thread while the mux asked to pause reading. */
  public void awaitReadable() throws InterruptedException {
    synchronized (pauseLock) {
      while (paused && !closed) {
        pauseLock.wait();
      }
    }
  }

  /** Destroys the stream now (the mux was destroyed). */
  @Override
  public void close(Throwable cause) {
    stop();
    stream.destroy(cause);
  }

  /** Writes what is queued, then ends our side of the stream (a clean close). */
  public void endAfterWrites() {
    Protomux m = mux;
    if (m != null) {
      // The reader may hold a corked reply (a channel close, the last response): it must not fall behind the end.
      m.flush();
    }
    ending = true;
    if (!closed) {
      queue.add(END);
    }
  }

  /** The stream closed underneath: stop writing and release a paused reader. */
  public void stop() {
    closed = true;
    queue.add(STOP);
    try {
      setReadPaused(false);
    } catch (RuntimeException socketGone) {
      // The raw stream's socket closed first (its node stopped): there is nothing to resume, and the caller must
      // still close the mux and the session.
    }
  }

  private void writeLoop() {
    byte[] next = null;
    try {
      while (true) {
        byte[] message = next != null ? next : queue.take();
        next = null;
        if (message == STOP) {
          return;
        }
        if (message == END) {
          stream.end();
          return;
        }
        long written = message.length;
        writeLock.lock();
        try {
          if (batchable(message) && queue.peek() != null) {
            OutgoingBatch batch = new OutgoingBatch();
            addTo(batch, message);
            while (batch.size() < MAX_COALESCED && (next = queue.poll()) != null && batchable(next)) {
              addTo(batch, next);
              written += next.length;
              next = null;
            }
            stream.write(batch.encodeAndClear());
          } else {
            stream.write(message);
          }
        } finally {
          lastWriteNs = System.nanoTime();
          receivedSinceWrite = false;
          writeLock.unlock();
        }
        if (queued.addAndGet(-written) < HIGH_WATER / 2 && full) {
          full = false;
          mux.onTransportDrained();
        }
      }
    } catch (InterruptedException | RuntimeException e) {
      // a writer that cannot go on must not leave a transport that takes sends nobody writes
      closed = true;
      stream.destroy(e);
    }
  }

  /** Small messages that are not batches themselves can share one batch message (one frame, one write). */
  private static boolean batchable(byte[] message) {
    return message.length > 0 && message.length <= MAX_COALESCED_ITEM && message != END && message != STOP
        && !(message[0] == 0 && message.length > 1 && message[1] == MuxFrames.BATCH);
  }

  private static void addTo(OutgoingBatch batch, byte[] message) {
    Buf buf = Buf.wrap(message);
    long channelId = buf.readUint();
    batch.add(channelId, message, buf.position());
  }
}
