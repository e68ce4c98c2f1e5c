import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Drops torn blocks from JaCoCo data files before they are merged. Worker processes started by the tests append to one
 * shared file when they exit; a process killed while it was writing leaves half a block, which would fail the whole
 * merge. Keeps every complete block, resumes at the next header after a torn one, and says what it dropped.
 * Usage: java .ci/RepairCoverageData.java FILE...
 */
public final class RepairCoverageData {
  private static final int HEADER = 0x01, SESSION = 0x10, DATA = 0x11;

  public static void main(String[] args) throws Exception {
    for (String name : args) {
      Path file = Path.of(name);
      if (Files.isRegularFile(file)) {
        repair(file);
      }
    }
  }

  private static void repair(Path file) throws Exception {
    byte[] d = Files.readAllBytes(file);
    ByteArrayOutputStream kept = new ByteArrayOutputStream(d.length);
    int p = 0, dropped = 0;
    while (p < d.length) {
      int end = blockEnd(d, p);
      if (end > 0) {
        kept.write(d, p, end - p);
        p = end;
      } else {
        int next = nextHeader(d, p + 1);
        dropped += next - p;
        p = next;
      }
    }
    if (dropped > 0) {
      Files.write(file, kept.toByteArray());
      System.out.println("RepairCoverageData: dropped " + dropped + " bytes of torn blocks from " + file);
    }
  }

  /** The end of the complete, well-formed block at {@code p}, or -1. */
  private static int blockEnd(byte[] d, int p) {
    try {
      switch (d[p] & 0xff) {
        case HEADER -> {
          return (d[p + 1] & 0xff) == 0xc0 && (d[p + 2] & 0xff) == 0xc0 && p + 5 <= d.length ? p + 5 : -1;
        }
        case SESSION -> {
          int q = utf(d, p + 1);
          return q > 0 && q + 16 <= d.length && isBlockStart(d, q + 16) ? q + 16 : -1;
        }
        case DATA -> {
          int q = utf(d, p + 9);
          if (q < 0) {
            return -1;
          }
          long probes = 0;
          int shift = 0;
          while (true) {
            int b = d[q++] & 0xff;
            probes |= (long) (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
              break;
            }
            if (shift > 28) {
              return -1;
            }
          }
          long end = q + (probes + 7) / 8;
          return end <= d.length && isBlockStart(d, (int) end) ? (int) end : -1;
        }
        default -> {
          return -1;
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      return -1;
    }
  }

  private static boolean isBlockStart(byte[] d, int p) {
    return p == d.length || (d[p] & 0xff) == HEADER || (d[p] & 0xff) == SESSION || (d[p] & 0xff) == DATA;
  }

  /** The end of a modified-UTF-8 class name or session id at {@code p}, or -1 when it is not one. */
  private static int utf(byte[] d, int p) {
    int len = ((d[p] & 0xff) << 8) | (d[p + 1] & 0xff);
    int end = p + 2 + len;
    if (end > d.length) {
      return -1;
    }
    for (int i = p + 2; i < end; i++) {
      int c = d[i] & 0xff;
      if (c < 0x20 || c > 0x7e) {
        return -1;
      }
    }
    return end;
  }

  private static int nextHeader(byte[] d, int from) {
    for (int i = from; i + 2 < d.length; i++) {
      if (d[i] == HEADER && (d[i + 1] & 0xff) == 0xc0 && (d[i + 2] & 0xff) == 0xc0) {
        return i;
      }
    }
    return d.length;
  }
}
