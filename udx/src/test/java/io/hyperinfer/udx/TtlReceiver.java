package io.hyperinfer.udx;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A plain IPv4 UDP socket on 127.0.0.1 made through FFM with {@code IP_RECVTTL} on, so a test can see the TTL each
 * datagram arrived with (loopback does not decrement it). Linux x86-64/aarch64 struct layouts. Not thread-safe.
 */
final class TtlReceiver implements AutoCloseable {
  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM = 2;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int IPPROTO_IP = 0;
  private static final int IP_TTL = 2;
  private static final int IP_RECVTTL = 12;
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle BIND = fn("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle GETSOCKNAME = fn("getsockname", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
  private static final MethodHandle SETSOCKOPT = fn("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle RECVMSG = fn("recvmsg", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
      ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT));

  private final Arena arena = Arena.ofConfined();
  private final int fd;
  private final int port;

  TtlReceiver() throws Throwable {
    fd = (int) SOCKET.invokeExact(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
      throw new IllegalStateException("socket() failed");
    }
    MemorySegment addr = arena.allocate(16);
    addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
    addr.set(ValueLayout.JAVA_BYTE, 4, (byte) 127);
    addr.set(ValueLayout.JAVA_BYTE, 7, (byte) 1);
    check((int) BIND.invokeExact(fd, addr, 16), "bind");
    MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
    len.set(ValueLayout.JAVA_INT, 0, 16);
    check((int) GETSOCKNAME.invokeExact(fd, addr, len), "getsockname");
    port = (addr.get(ValueLayout.JAVA_BYTE, 2) & 0xFF) << 8 | (addr.get(ValueLayout.JAVA_BYTE, 3) & 0xFF);
    MemorySegment on = arena.allocate(ValueLayout.JAVA_INT);
    on.set(ValueLayout.JAVA_INT, 0, 1);
    check((int) SETSOCKOPT.invokeExact(fd, IPPROTO_IP, IP_RECVTTL, on, 4), "IP_RECVTTL");
    MemorySegment timeout = arena.allocate(16);
    timeout.set(ValueLayout.JAVA_LONG, 0, 5L); // seconds: a missing datagram fails the test instead of hanging it
    check((int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16), "SO_RCVTIMEO");
  }

  int port() {
    return port;
  }

  /** Receives one datagram; returns its IP TTL, or -1 when none was reported. */
  int receiveTtl() throws Throwable {
    MemorySegment data = arena.allocate(2048);
    MemorySegment iov = arena.allocate(16);
    iov.set(ValueLayout.ADDRESS, 0, data);
    iov.set(ValueLayout.JAVA_LONG, 8, 2048);
    MemorySegment control = arena.allocate(256);
    MemorySegment msg = arena.allocate(56);
    msg.set(ValueLayout.ADDRESS, 16, iov);
    msg.set(ValueLayout.JAVA_LONG, 24, 1);
    msg.set(ValueLayout.ADDRESS, 32, control);
    msg.set(ValueLayout.JAVA_LONG, 40, 256);
    long n = (long) RECVMSG.invokeExact(fd, msg, 0);
    if (n < 0) {
      throw new IllegalStateException("recvmsg failed or timed out");
    }
    long controlLength = msg.get(ValueLayout.JAVA_LONG, 40);
    for (long at = 0; at + 16 <= controlLength; ) {
      long cmsgLen = control.get(ValueLayout.JAVA_LONG, at);
      int level = control.get(ValueLayout.JAVA_INT, at + 8);
      int type = control.get(ValueLayout.JAVA_INT, at + 12);
      if (level == IPPROTO_IP && type == IP_TTL) {
        return control.get(ValueLayout.JAVA_INT, at + 16);
      }
      if (cmsgLen < 16) {
        break;
      }
      at += (cmsgLen + 7) & ~7L;
    }
    return -1;
  }

  @Override
  public void close() {
    try {
      int ignored = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw new IllegalStateException("close failed", t);
    } finally {
      arena.close();
    }
  }

  private static void check(int result, String call) {
    if (result != 0) {
      throw new IllegalStateException(call + " failed");
    }
  }

  private static MethodHandle fn(String name, FunctionDescriptor descriptor) {
    return LINKER.defaultLookup().find(name).map(s -> LINKER.downcallHandle(s, descriptor)).orElseThrow();
  }
}
