package io.hyperinfer.dht;

import java.util.List;

/**
 * What a query found.
 *
 * @param replies every successful reply the map accepted, in arrival order
 * @param closestReplies up to 20 successful replies from nodes with ids, closest to the target first, each with the
 *     token it carried
 * @param successes replies with error 0
 * @param errors error replies and failed requests
 * @param <T> what each accepted reply maps to
 */
public record QueryResult<T>(List<T> replies, List<Response> closestReplies, int successes, int errors) {
  public QueryResult {
    replies = List.copyOf(replies);
    closestReplies = List.copyOf(closestReplies);
  }

  /** The nodes of {@link #closestReplies()} (JS {@code query.closestNodes}). */
  public List<Peer> closestNodes() {
    return closestReplies.stream().map(Response::from).toList();
  }
}
