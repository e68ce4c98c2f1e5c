/** Run by the store ITs in a fresh JVM: opens a disk store in args[0], writes, says so, waits for stdin to close. */
public class StoreProbe {
  public static void main(String[] args) throws Exception {
    var store = new io.hyperinfer.store.DiskStoreFacility(java.nio.file.Path.of(args[0]));
    store.start(new io.hyperinfer.worker.FacilityContext(new io.hyperinfer.worker.WorkerContext("probe", "test", "1"),
        io.hyperinfer.worker.Config.empty(), java.time.Clock.systemUTC(),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), io.hyperinfer.crypto.Ed25519::generate));
    store.bee("b").putString("k", "v");
    System.out.println("open");
    System.out.flush();
    System.in.read();
    store.stop();
  }
}
