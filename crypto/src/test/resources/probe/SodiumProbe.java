/** Run by NativeTempIT in a fresh JVM: loads libsodium, says so, and waits for its standard input to close. */
public class SodiumProbe {
  public static void main(String[] args) throws Exception {
    byte[] hash = io.hyperinfer.crypto.Blake2b.hash(new byte[] {1, 2, 3});
    System.out.println("loaded " + hash.length);
    System.out.flush();
    System.in.read();
  }
}
