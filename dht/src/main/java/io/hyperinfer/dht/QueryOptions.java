package io.hyperinfer.dht;

import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * Options of an iterative query (JS {@code dht.query(..., opts)}).
 *
 * @param nodes seed nodes, closest first (JS {@code nodes}/{@code closestNodes}); empty: seed from the table, then
 *     the bootstrap nodes
 * @param onlyClosestNodes visit only the seed nodes, never nodes learnt from replies
 * @param commit what to do with each of the closest replies once the walk ends (null: nothing; {@link Commit#AUTO}:
 *     re-send the command with each reply's token)
 * @param concurrency requests in flight at once; 0 means the node's default (10)
 * @param retries resends per visited node; -1 means the default (5)
 * @param force bypass the congestion window and never resend (JS {@code force})
 * @param session the session that cancels this query with others (null: a session of its own)
 */
public record QueryOptions(
    List<HostPort> nodes, boolean onlyClosestNodes, Commit commit, int concurrency, int retries, boolean force,
    Session session) {
  public static final QueryOptions DEFAULT = new QueryOptions(List.of(), false, null, 0, -1, false, null);

  public QueryOptions {
    nodes = List.copyOf(nodes);
    if (concurrency < 0 || retries < -1) {
      throw new IllegalArgumentException("concurrency must be >= 0 and retries >= -1");
    }
  }

  public QueryOptions withNodes(List<HostPort> seeds) {
    return new QueryOptions(seeds, onlyClosestNodes, commit, concurrency, retries, force, session);
  }

  public QueryOptions withOnlyClosestNodes(boolean on) {
    return new QueryOptions(nodes, on, commit, concurrency, retries, force, session);
  }

  public QueryOptions withCommit(Commit c) {
    return new QueryOptions(nodes, onlyClosestNodes, c, concurrency, retries, force, session);
  }

  public QueryOptions withConcurrency(int n) {
    return new QueryOptions(nodes, onlyClosestNodes, commit, n, retries, force, session);
  }

  public QueryOptions withRetries(int n) {
    return new QueryOptions(nodes, onlyClosestNodes, commit, concurrency, n, force, session);
  }

  public QueryOptions withForce(boolean on) {
    return new QueryOptions(nodes, onlyClosestNodes, commit, concurrency, retries, on, session);
  }

  public QueryOptions withSession(Session s) {
    return new QueryOptions(nodes, onlyClosestNodes, commit, concurrency, retries, force, s);
  }
}
