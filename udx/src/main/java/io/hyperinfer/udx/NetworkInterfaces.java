package io.hyperinfer.udx;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Watches the machine's network interfaces (udx-native {@code lib/network-interfaces.js} over libudx's interface
 * event): the address list is read every {@link #DEFAULT_INTERVAL} on a loop, and {@code onChange} gets the new list
 * when it differs from the last one in any name, address, family or internal flag. Java has no interface-change
 * notification, so this polls at libudx's own frequency. The first read is the baseline and fires nothing.
 * Polls and the callback run on the loop; {@link #close()} and {@link #interfaces()} are thread-safe.
 */
public final class NetworkInterfaces implements AutoCloseable {
  /** udx-native's polling frequency (5 s). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  /** One address of one interface (JS {@code {name, host, family, internal}}). */
  public record Address(String name, String host, int family, boolean internal) {}

  /** Where the addresses come from: the machine ({@link #system()}), or a fake in tests. */
  @FunctionalInterface
  public interface Source {
    /** The current addresses, in any order; throws nothing (an unreadable machine reads as no interfaces). */
    List<Address> read();

    /** The machine's interfaces that are up, as {@link java.net.NetworkInterface} lists them. */
    static Source system() {
      return NetworkInterfaces::readSystem;
    }
  }

  private static final Comparator<Address> ORDER = Comparator.comparing(Address::name)
      .thenComparing(Address::host).thenComparingInt(Address::family).thenComparing(Address::internal);

  private final UdxLoop loop;
  private final Source source;
  private final Duration interval;
  private final Consumer<List<Address>> onChange;
  private volatile List<Address> current;
  private volatile boolean closed;

  private NetworkInterfaces(UdxLoop loop, Source source, Duration interval, Consumer<List<Address>> onChange) {
    this.loop = loop;
    this.source = source;
    this.interval = interval;
    this.onChange = onChange;
    this.current = sorted(source.read());
  }

  /**
   * Starts watching: {@code source} is read now (the baseline) and then every {@code interval} on {@code loop};
   * {@code onChange} runs there with each list that differs from the one before.
   */
  public static NetworkInterfaces watch(UdxLoop loop, Source source, Duration interval,
      Consumer<List<Address>> onChange) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the polling interval must be positive");
    }
    NetworkInterfaces w = new NetworkInterfaces(loop, source, interval, onChange);
    w.arm();
    return w;
  }

  /** The machine's addresses now, sorted (JS {@code udx.networkInterfaces()}). */
  public static List<Address> list() {
    return sorted(readSystem());
  }

  /** The list as of the last poll, sorted by name, host, family. */
  public List<Address> interfaces() {
    return current;
  }

  /** Stops polling; idempotent (JS {@code destroy()}). */
  @Override
  public void close() {
    closed = true;
  }

  private void arm() {
    try {
      loop.schedule(interval, this::poll);
    } catch (UdxException loopClosed) {
      closed = true;
    }
  }

  private void poll() {
    if (closed) {
      return;
    }
    try {
      List<Address> now = sorted(source.read());
      if (!now.equals(current)) {
        current = now;
        onChange.accept(now);
      }
    } finally {
      arm();
    }
  }

  private static List<Address> sorted(List<Address> addresses) {
    List<Address> copy = new ArrayList<>(addresses);
    copy.sort(ORDER);
    return List.copyOf(copy);
  }

  private static List<Address> readSystem() {
    List<Address> out = new ArrayList<>();
    Enumeration<NetworkInterface> all;
    try {
      all = NetworkInterface.getNetworkInterfaces();
    } catch (SocketException e) {
      return out;
    }
    while (all != null && all.hasMoreElements()) {
      addUp(all.nextElement(), out);
    }
    return out;
  }

  private static void addUp(NetworkInterface n, List<Address> out) {
    try {
      if (!n.isUp()) {
        return;
      }
      boolean internal = n.isLoopback();
      for (Enumeration<InetAddress> a = n.getInetAddresses(); a.hasMoreElements(); ) {
        InetAddress address = a.nextElement();
        out.add(new Address(n.getName(), address.getHostAddress(), address instanceof Inet4Address ? 4 : 6,
            internal));
      }
    } catch (SocketException vanished) {
      // the interface went away while we read it: the next poll sees the list without it
    }
  }
}
