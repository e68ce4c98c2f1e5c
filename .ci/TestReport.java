import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The short test report that ends every CI run (.ci/run): tests per tier with their wall time against the budget,
 * line and branch coverage per module against its gates, and every failure with the seeds its test printed.
 *
 * <p>Reads what the build left behind: {@code <module>/target/surefire-reports} (unit tier),
 * {@code <module>/target/failsafe-reports} ({@code *SystemTest}: end-to-end tier, {@code NatMatrixIT}: the NAT
 * tier, other {@code *IT}: integration tier, the rest: the full-size fuzz run, the fuzz tier), {@code <module>/target/site/jacoco/jacoco.csv} (coverage), the gates
 * from each module's pom (else the root pom) and the tier timings .ci/run wrote to {@code target/ci/tiers.tsv}.
 *
 * <p>Usage: {@code java .ci/TestReport.java [repository root]}. Exits 1 when a test failed or a coverage gate is
 * missed, else 0. Runs on any JDK from 17 on, so it needs nothing but the JDK the build already has.
 */
public final class TestReport {
  /** The budgets of the user's testing architecture, in seconds of wall time on the CI machine. */
  static final Map<String, Integer> BUDGETS = Map.of("unit", 30, "integration", 120, "nat", 240, "fuzz", 120, "e2e", 300);
  static final List<String> TIERS = List.of("unit", "integration", "nat", "fuzz", "e2e");
  static final Pattern SEED = Pattern.compile("\\[seed] (\\S+) -Dtest\\.seed=(-?\\d+)");
  static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  static final int MAX_FAILURES_SHOWN = 30;

  record Tally(int tests, int failed, int skipped, double seconds) {
    Tally plus(Tally o) {
      return new Tally(tests + o.tests, failed + o.failed, skipped + o.skipped, seconds + o.seconds);
    }
  }

  record Failure(String tier, String module, String test, String kind, String message, List<String> seeds) {}

  record Counter(long missed, long covered) {
    Counter plus(Counter o) {
      return new Counter(missed + o.missed, covered + o.covered);
    }

    double ratio() {
      return missed + covered == 0 ? 1.0 : (double) covered / (missed + covered);
    }
  }

  record Gates(double line, double branch, double packageLine, String packageIncludes, String packageExcludes) {
    boolean gates(String pkg) {
      return packageLine > 0 && matches(packageIncludes, pkg) && !matches(packageExcludes, pkg);
    }
  }

  private final Path root;
  private final Map<String, Tally> tiers = new LinkedHashMap<>();
  private final List<Failure> failures = new ArrayList<>();
  private final List<String> gateMisses = new ArrayList<>();

  TestReport(Path root) {
    this.root = root;
    TIERS.forEach(t -> tiers.put(t, new Tally(0, 0, 0, 0)));
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--flaky")) {
      System.exit(flaky(Path.of(args.length > 1 ? args[1] : "target/flaky").toAbsolutePath().normalize()));
    }
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    TestReport report = new TestReport(root);
    List<String> modules = report.modules();
    for (String module : modules) {
      Path target = root.resolve(module).resolve("target");
      report.readTests(module, target.resolve("surefire-reports"), true);
      report.readTests(module, target.resolve("failsafe-reports"), false);
    }
    StringBuilder out = new StringBuilder();
    report.printTiers(out);
    report.printCoverage(out, modules);
    report.printFailures(out);
    System.out.print(out);
    System.exit(report.failures.isEmpty() && report.gateMisses.isEmpty() ? 0 : 1);
  }

  /**
   * The summary of .ci/flaky: {@code runs} holds {@code run-<i>/<module>/failsafe-reports} per run. Prints each run's
   * counts, then every test that failed in any run with how often, its messages and its seeds; returns 1 if any did.
   */
  static int flaky(Path runs) throws Exception {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(runs)) {
      dirs = s.filter(p -> p.getFileName().toString().matches("run-\\d+")).sorted(
          java.util.Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4)))).toList();
    }
    Map<String, List<String>> byTest = new TreeMap<>();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%n==================== Flakiness: %d runs (%s) ====================%n", dirs.size(), runs));
    for (Path run : dirs) {
      TestReport report = new TestReport(run);
      List<Path> modules;
      try (Stream<Path> s = Files.list(run)) {
        modules = s.filter(Files::isDirectory).sorted().toList();
      }
      for (Path module : modules) {
        report.readTests(module.getFileName().toString(), module.resolve("failsafe-reports"), false);
      }
      Tally all = report.tiers.values().stream().reduce(new Tally(0, 0, 0, 0), Tally::plus);
      out.append(String.format(Locale.ROOT, "%s: %d tests, %d failed, %d skipped, %.1f s of JUnit time%n",
          run.getFileName(), all.tests, all.failed, all.skipped, all.seconds));
      for (Failure f : report.failures) {
        String seeds = f.seeds.isEmpty() ? "" : "\n        seed " + String.join("\n        seed ", f.seeds);
        byTest.computeIfAbsent(f.test + " (" + f.module + ", " + f.tier + ")", k -> new ArrayList<>())
            .add(run.getFileName() + ": " + f.message + seeds);
      }
    }
    if (byTest.isEmpty()) {
      out.append(String.format(Locale.ROOT, "No test failed in %d runs.%n", dirs.size()));
    } else {
      out.append("\nFailures by test:\n");
      byTest.forEach((test, seen) -> {
        out.append(String.format(Locale.ROOT, "  %s: failed %d of %d runs%n", test, seen.size(), dirs.size()));
        seen.forEach(line -> out.append("      ").append(line).append('\n'));
      });
    }
    System.out.print(out);
    return byTest.isEmpty() ? 0 : 1;
  }

  List<String> modules() throws IOException {
    List<String> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    return modules;
  }

  // ---- tests ----

  /** Reads the XML reports in {@code dir}: the unit tier's ({@code unit}) or failsafe's (integration, fuzz, e2e). */
  void readTests(String module, Path dir, boolean unit) throws Exception {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
    }
    for (Path file : files) {
      Element suite = parse(file).getDocumentElement();
      String name = suite.getAttribute("name");
      String tier = unit ? "unit"
          : name.endsWith("SystemTest") ? "e2e" : name.endsWith(".NatMatrixIT") ? "nat"
          : name.endsWith("IT") ? "integration" : "fuzz";
      Tally t = new Tally(intAttr(suite, "tests"), intAttr(suite, "failures") + intAttr(suite, "errors"),
          intAttr(suite, "skipped"), doubleAttr(suite, "time"));
      tiers.merge(tier, t, Tally::plus);
      NodeList cases = suite.getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        readCase(tier, module, (Element) cases.item(i));
      }
    }
  }

  private void readCase(String tier, String module, Element testcase) {
    String test = shortClass(testcase.getAttribute("classname")) + "#" + testcase.getAttribute("name");
    for (String kind : List.of("failure", "error", "flakyFailure", "flakyError", "rerunFailure", "rerunError")) {
      NodeList found = testcase.getElementsByTagName(kind);
      for (int i = 0; i < found.getLength(); i++) {
        Element e = (Element) found.item(i);
        List<String> seeds = new ArrayList<>();
        collectSeeds(testcase, seeds);
        String message = firstLine(e.getAttribute("type") + ": " + e.getAttribute("message"));
        failures.add(new Failure(tier, module, test, kind, message, seeds));
      }
    }
  }

  private static void collectSeeds(Element testcase, List<String> seeds) {
    for (String stream : List.of("system-out", "system-err")) {
      NodeList outs = testcase.getElementsByTagName(stream);
      for (int i = 0; i < outs.getLength(); i++) {
        Matcher m = SEED.matcher(outs.item(i).getTextContent());
        while (m.find()) {
          String seed = m.group(1) + " -Dtest.seed=" + m.group(2);
          if (!seeds.contains(seed)) {
            seeds.add(seed);
          }
        }
      }
    }
  }

  void printTiers(StringBuilder out) throws IOException {
    Map<String, String[]> timings = readTimings();
    out.append("\n==================== Test report ====================\n");
    out.append(String.format(Locale.ROOT, "%-12s %6s %6s %7s %11s %10s %8s  %s%n", "tier", "tests", "failed",
        "skipped", "JUnit sum", "wall", "budget", "maven"));
    for (String tier : TIERS) {
      Tally t = tiers.get(tier);
      String[] timing = timings.get(tier);
      String wall = timing == null ? "-" : timing[1] + " s";
      String verdict = timing == null ? "" : Double.parseDouble(timing[1]) <= BUDGETS.get(tier) ? "" : " OVER";
      String maven = timing == null ? "not run" : "0".equals(timing[0]) ? "ok" : "exit " + timing[0];
      out.append(String.format(Locale.ROOT, "%-12s %6d %6d %7d %9.1f s %10s %6d s%s  %s%n", tier, t.tests, t.failed,
          t.skipped, t.seconds, wall, BUDGETS.get(tier), verdict, maven));
    }
    for (Map.Entry<String, String[]> e : timings.entrySet()) {
      if (!BUDGETS.containsKey(e.getKey())) {
        String[] v = e.getValue();
        out.append(String.format(Locale.ROOT, "  step %-10s %8s s  %s%n", e.getKey(), v[1],
            "0".equals(v[0]) ? "ok" : "exit " + v[0]));
      }
    }
  }

  private Map<String, String[]> readTimings() throws IOException {
    Map<String, String[]> timings = new LinkedHashMap<>();
    Path file = root.resolve("target/ci/tiers.tsv");
    if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file)) {
        String[] f = line.split("\t");
        if (f.length == 3) {
          timings.put(f[0], new String[] {f[1], f[2]});
        }
      }
    }
    return timings;
  }

  void printFailures(StringBuilder out) {
    if (failures.isEmpty() && gateMisses.isEmpty()) {
      out.append("\nNo test failures, every coverage gate met.\n");
      return;
    }
    if (!failures.isEmpty()) {
      out.append(String.format(Locale.ROOT, "%nFailures (%d):%n", failures.size()));
    }
    int shown = 0;
    for (Failure f : failures) {
      if (shown++ == MAX_FAILURES_SHOWN) {
        out.append("  ... and ").append(failures.size() - MAX_FAILURES_SHOWN).append(" more\n");
        break;
      }
      out.append(String.format(Locale.ROOT, "  [%s] %s (%s)%s%n", f.tier, f.test, f.module,
          f.kind.equals("failure") || f.kind.equals("error") ? "" : " " + f.kind));
      out.append("      ").append(f.message).append('\n');
      for (String seed : f.seeds) {
        out.append("      seed ").append(seed).append('\n');
      }
      String seed = f.seeds.isEmpty() ? "" : " -Dtest.seed=" + f.seeds.get(0).replaceAll(".*=", "");
      String select = switch (f.tier) {
        case "unit" -> "test -Dtest='" + f.test + "' -Dsurefire.failIfNoSpecifiedTests=false";
        case "fuzz" -> "verify -Pfuzz -Dit.test='" + f.test + "' -Dfailsafe.failIfNoSpecifiedTests=false";
        case "nat" -> "verify -Pnat -Dit.test='" + f.test + "'";
        default -> "verify -DskipUTs -Dfuzz.skip -Dit.test='" + f.test + "' -Dfailsafe.failIfNoSpecifiedTests=false";
      };
      out.append(String.format(Locale.ROOT, "      replay: ./mvnw -o -pl %s -am %s -Djacoco.skip=true%s%n",
          f.module, select, seed));
    }
    if (!gateMisses.isEmpty()) {
      out.append("\nCoverage gates missed:\n");
      gateMisses.forEach(g -> out.append("  ").append(g).append('\n'));
    }
  }

  // ---- coverage ----

  void printCoverage(StringBuilder out, List<String> modules) throws IOException {
    out.append(String.format(Locale.ROOT, "%nCoverage (gate in brackets; * = below)%n%-18s %-16s %-16s %s%n",
        "module", "lines", "branches", "weakest gated package"));
    Gates rootGates = gates(root.resolve("pom.xml"), null);
    for (String module : modules) {
      Path csv = root.resolve(module).resolve("target/site/jacoco/jacoco.csv");
      if (!Files.isRegularFile(csv)) {
        continue;
      }
      Gates g = gates(root.resolve(module).resolve("pom.xml"), rootGates);
      Map<String, Counter[]> packages = readCsv(csv);
      Counter lines = new Counter(0, 0);
      Counter branches = new Counter(0, 0);
      for (Counter[] c : packages.values()) {
        lines = lines.plus(c[0]);
        branches = branches.plus(c[1]);
      }
      String weakest = "";
      if (g.packageLine > 0) {
        String worst = null;
        double worstRatio = 2;
        for (Map.Entry<String, Counter[]> p : packages.entrySet()) {
          if (g.gates(p.getKey())) {
            double r = p.getValue()[0].ratio();
            if (r < worstRatio) {
              worstRatio = r;
              worst = p.getKey();
            }
            if (r < g.packageLine) {
              gateMisses.add(String.format(Locale.ROOT, "%s: package %s lines %.1f%% < %.0f%%", module, p.getKey(),
                  100 * r, 100 * g.packageLine));
            }
          }
        }
        if (worst != null) {
          weakest = String.format(Locale.ROOT, "%s %s", worst, cell(worstRatio, g.packageLine));
        }
      }
      out.append(String.format(Locale.ROOT, "%-18s %-16s %-16s %s%n", module, cell(lines.ratio(), g.line),
          cell(branches.ratio(), g.branch), weakest));
      if (lines.ratio() < g.line) {
        gateMisses.add(String.format(Locale.ROOT, "%s: lines %.1f%% < %.0f%%", module, 100 * lines.ratio(),
            100 * g.line));
      }
      if (branches.ratio() < g.branch) {
        gateMisses.add(String.format(Locale.ROOT, "%s: branches %.1f%% < %.0f%%", module, 100 * branches.ratio(),
            100 * g.branch));
      }
    }
    Path aggregate = root.resolve("coverage/target/site/jacoco-aggregate/jacoco.csv");
    if (Files.isRegularFile(aggregate)) {
      Counter lines = new Counter(0, 0);
      Counter branches = new Counter(0, 0);
      for (Counter[] c : readCsv(aggregate).values()) {
        lines = lines.plus(c[0]);
        branches = branches.plus(c[1]);
      }
      out.append(String.format(Locale.ROOT, "%-18s %-16s %-16s%n", "all modules",
          String.format(Locale.ROOT, "%.1f%%", 100 * lines.ratio()),
          String.format(Locale.ROOT, "%.1f%%", 100 * branches.ratio())));
    }
  }

  private static String cell(double ratio, double gate) {
    return String.format(Locale.ROOT, "%5.1f%% [%.0f]%s", 100 * ratio, 100 * gate, ratio < gate ? "*" : "");
  }

  /** Per package: {lines, branches}. */
  private static Map<String, Counter[]> readCsv(Path csv) throws IOException {
    Map<String, Counter[]> packages = new TreeMap<>();
    List<String> lines = Files.readAllLines(csv);
    List<String> header = List.of(lines.get(0).split(","));
    int pkg = header.indexOf("PACKAGE");
    int lm = header.indexOf("LINE_MISSED");
    int lc = header.indexOf("LINE_COVERED");
    int bm = header.indexOf("BRANCH_MISSED");
    int bc = header.indexOf("BRANCH_COVERED");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      Counter[] c = packages.computeIfAbsent(f[pkg], k -> new Counter[] {new Counter(0, 0), new Counter(0, 0)});
      c[0] = c[0].plus(new Counter(Long.parseLong(f[lm]), Long.parseLong(f[lc])));
      c[1] = c[1].plus(new Counter(Long.parseLong(f[bm]), Long.parseLong(f[bc])));
    }
    return packages;
  }

  /** JaCoCo's include syntax: comma-separated names with * and ? wildcards. */
  static boolean matches(String includes, String pkg) {
    for (String pattern : includes.split(",")) {
      String regex = pattern.trim().replace(".", "\\.").replace("*", ".*").replace("?", ".");
      if (pkg.matches(regex)) {
        return true;
      }
    }
    return false;
  }

  /** The coverage properties of {@code pom}, each falling back to {@code parent}'s. */
  static Gates gates(Path pom, Gates parent) throws IOException {
    String text = Files.readString(pom);
    return new Gates(
        number(text, "coverage.line.minimum", parent == null ? 0 : parent.line),
        number(text, "coverage.branch.minimum", parent == null ? 0 : parent.branch),
        number(text, "coverage.package.line.minimum", parent == null ? 0 : parent.packageLine),
        property(text, "coverage.package.includes", parent == null ? "*" : parent.packageIncludes),
        property(text, "coverage.package.excludes", parent == null ? "none" : parent.packageExcludes));
  }

  private static double number(String pom, String name, double fallback) {
    String v = property(pom, name, null);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String property(String pom, String name, String fallback) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(pom);
    return m.find() ? m.group(1).trim() : fallback;
  }

  // ---- small helpers ----

  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  private static int intAttr(Element e, String name) {
    String v = e.getAttribute(name);
    return v.isEmpty() ? 0 : Integer.parseInt(v);
  }

  private static double doubleAttr(Element e, String name) {
    String v = e.getAttribute(name).replace(",", "");
    return v.isEmpty() ? 0 : Double.parseDouble(v);
  }

  private static String shortClass(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static String firstLine(String s) {
    String line = s.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
