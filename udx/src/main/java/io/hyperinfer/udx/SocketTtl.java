package io.hyperinfer.udx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Per-send IP TTL for one UDP socket, through {@code setsockopt} on its file descriptor (Linux, via the FFM API):
 * Java's {@code IP_MULTICAST_TTL} does not apply to unicast and there is no unicast TTL option. NIO does not expose
 * a channel's descriptor, so it is found once by matching {@code getsockname} of this process's open datagram sockets
 * against the channel's bound address (a bound UDP address belongs to one socket). Both the IPv4 TTL and the IPv6
 * hop limit are set, since a dual-stack socket sends IPv4 with the former. Callers serialise sends around it.
 */
final class SocketTtl {
  private static final int SOL_SOCKET = 1;
  private static final int SO_TYPE = 3;
  private static final int SOCK_DGRAM = 2;
  private static final int IPPROTO_IP = 0;
  private static final int IP_TTL = 2;
  private static final int IPPROTO_IPV6 = 41;
  private static final int IPV6_UNICAST_HOPS = 16;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int SOCKADDR_STORAGE = 128;
  /** Both options take -1 for "the route's default", which is what an untouched socket uses. */
  private static final int SYSTEM_DEFAULT = -1;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle GETSOCKNAME = function("getsockname",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
  private static final MethodHandle GETSOCKOPT = function("getsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
  private static final MethodHandle SETSOCKOPT = function("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

  /** A send to run with the TTL in place. */
  @FunctionalInterface
  interface Send {
    void run() throws IOException;
  }

  private final int fd;
  private final boolean ipv6;

  private SocketTtl(int fd, boolean ipv6) {
    this.fd = fd;
    this.ipv6 = ipv6;
  }

  /** The TTL control of {@code channel}, bound at {@code bound}; SOCKET_FAILED where it cannot be had. */
  static SocketTtl of(DatagramChannel channel, InetSocketAddress bound) {
    if (GETSOCKNAME == null || !channel.isOpen()) {
      throw UdxException.socketFailed("per-send TTL needs Linux and an open socket", null);
    }
    try (Arena arena = Arena.ofConfined(); Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      List<Integer> candidates = fds.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(
          Character::isDigit)).map(Integer::parseInt).toList();
      for (int fd : candidates) {
        int family = boundFamily(arena, fd, bound);
        if (family != 0) {
          return new SocketTtl(fd, family == AF_INET6);
        }
      }
    } catch (IOException e) {
      throw UdxException.socketFailed("cannot list this process's sockets", e);
    }
    throw UdxException.socketFailed("no descriptor found for " + bound, null);
  }

  /** The descriptor of {@code channel}, bound at {@code bound}, or -1 where it cannot be found (not Linux). */
  static int descriptorOf(DatagramChannel channel, InetSocketAddress bound) {
    try {
      return of(channel, bound).fd;
    } catch (UdxException | IllegalStateException e) {
      return -1;
    }
  }

  /** Runs {@code send} with the socket's TTL (and hop limit) at {@code ttl}, then back to the system default. */
  void sendWith(int ttl, Send send) {
    try (Arena arena = Arena.ofConfined()) {
      set(arena, IPPROTO_IP, IP_TTL, ttl);
      if (ipv6) {
        set(arena, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl);
      }
      try {
        send.run();
      } catch (IOException e) {
        throw UdxException.socketFailed("send with ttl " + ttl + " failed", e);
      } finally {
        set(arena, IPPROTO_IP, IP_TTL, SYSTEM_DEFAULT);
        if (ipv6) {
          set(arena, IPPROTO_IPV6, IPV6_UNICAST_HOPS, SYSTEM_DEFAULT);
        }
      }
    }
  }

  /** The family of {@code fd} if it is a datagram socket bound to {@code bound}, else 0. */
  private static int boundFamily(Arena arena, int fd, InetSocketAddress bound) {
    MemorySegment addr = arena.allocate(SOCKADDR_STORAGE);
    MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
    len.set(ValueLayout.JAVA_INT, 0, SOCKADDR_STORAGE);
    MemorySegment type = arena.allocate(ValueLayout.JAVA_INT);
    MemorySegment typeLen = arena.allocate(ValueLayout.JAVA_INT);
    typeLen.set(ValueLayout.JAVA_INT, 0, 4);
    try {
      if ((int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_TYPE, type, typeLen) != 0
          || type.get(ValueLayout.JAVA_INT, 0) != SOCK_DGRAM
          || (int) GETSOCKNAME.invokeExact(fd, addr, len) != 0) {
        return 0;
      }
    } catch (Throwable t) {
      throw new IllegalStateException("getsockname failed", t);
    }
    int family = addr.get(ValueLayout.JAVA_SHORT, 0) & 0xFFFF;
    int port = (addr.get(ValueLayout.JAVA_BYTE, 2) & 0xFF) << 8 | (addr.get(ValueLayout.JAVA_BYTE, 3) & 0xFF);
    byte[] ip;
    if (family == AF_INET) {
      ip = addr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
    } else if (family == AF_INET6) {
      ip = addr.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
    } else {
      return 0;
    }
    try {
      InetAddress address = InetAddress.getByAddress(ip); // a v4-mapped IPv6 address comes back as IPv4
      boolean same = address.equals(bound.getAddress())
          || address.isAnyLocalAddress() && bound.getAddress().isAnyLocalAddress();
      return port == bound.getPort() && same ? family : 0;
    } catch (UnknownHostException e) {
      return 0;
    }
  }

  private void set(Arena arena, int level, int option, int v) {
    MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
    value.set(ValueLayout.JAVA_INT, 0, v);
    try {
      if ((int) SETSOCKOPT.invokeExact(fd, level, option, value, 4) != 0) {
        throw UdxException.socketFailed("setsockopt " + level + "/" + option + " failed on fd " + fd, null);
      }
    } catch (UdxException e) {
      throw e;
    } catch (Throwable t) {
      throw UdxException.socketFailed("setsockopt failed", t);
    }
  }

  private static MethodHandle function(String name, FunctionDescriptor descriptor) {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return null;
    }
    return LINKER.defaultLookup().find(name).map(s -> LINKER.downcallHandle(s, descriptor)).orElse(null);
  }
}
