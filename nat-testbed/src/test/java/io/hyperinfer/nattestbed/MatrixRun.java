package io.hyperinfer.nattestbed;

/** A cell run with one implementation as client and one as server (each "js" or a name from nat.peers). */
record MatrixRun(Cell cell, String clientImpl, String serverImpl, int index) {
  String implementations() {
    return clientImpl + " -> " + serverImpl;
  }

  @Override
  public String toString() {
    return cell.name() + " [" + implementations() + "]";
  }
}
