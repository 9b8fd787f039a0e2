import { describe, expect, it } from "vitest";
import { PROJECT } from "../../infra/catalogue/names";
import { CrossStackError, checkStacksTogether, crossStackProblems } from "../../stacks/config/cross-stack";
import { PlatformConfig, parseStackConfig } from "../../stacks/config/parse";
import { StackDoc, cfg, loadStackDoc, rawFromDoc } from "../support/stacks";

const k = (key: string) => `${PROJECT}:${key}`;

/** A parsed stack: a committed stack file, edited, under a name of its own. */
function stack(name: string, from: "staging" | "production", edit: (d: StackDoc) => void = () => {}): PlatformConfig {
  const doc = loadStackDoc(from);
  edit(doc);
  return parseStackConfig(rawFromDoc(name, doc));
}

/** qa: a second environment from develop, in staging's cluster, that does not protect the branch or install add-ons. */
const qaEdit = (d: StackDoc) => {
  d.config[k("environment")] = "qa";
  cfg(d, "namespace").name = "agent-hive-qa";
  cfg(d, "github").environment = "qa";
  cfg(d, "github").protectDeployBranch = false;
  cfg(d, "observability").grafanaFolder = "Agent Hive qa";
  d.config[k("addons")] = {
    argoRollouts: { install: false, namespace: "argo-rollouts" },
    kubePrometheusStack: { install: false, namespace: "monitoring" },
    pushgateway: { install: false, namespace: "pushgateway" },
  };
};

const staging = () => stack("staging", "staging");
const production = () => stack("production", "production");
const qa = (edit: (d: StackDoc) => void = () => {}) =>
  stack("qa", "staging", (d) => {
    qaEdit(d);
    edit(d);
  });
const found = (configs: PlatformConfig[]) => crossStackProblems(configs).map((p) => [p.stack, p.key.slice(PROJECT.length + 1), p.problem] as const);

describe("stacks checked together", () => {
  it("accepts the committed stacks, and a well-formed third stack", () => {
    expect(crossStackProblems([staging(), production()])).toEqual([]);
    expect(() => checkStacksTogether([staging(), production(), qa()])).not.toThrow();
  });

  it("refuses two stacks owning repository settings, naming each", () => {
    const problems = found([production(), stack("staging", "staging", (d) => (cfg(d, "github").ownsRepositorySettings = true))]);
    expect(problems).toEqual([
      ["production", "github.ownsRepositorySettings", expect.stringMatching(/stacks production, staging all own the repository settings of leanvibe\/agent-hive: exactly one/)],
      ["staging", "github.ownsRepositorySettings", expect.stringMatching(/exactly one may/)],
    ]);
  });

  it("allows a repository whose stacks all leave repository settings to another (test or review stacks)", () => {
    const leaves = (d: StackDoc) => {
      cfg(d, "github").ownsRepositorySettings = false;
      delete cfg(d, "github").security; // repository-wide too: only an owner may set it
    };
    expect(found([staging(), stack("production", "production", leaves)])).toEqual([]);
  });

  it("judges repository settings per repository, whose name GitHub compares without case", () => {
    const other = stack("tools", "staging", (d) => {
      qaEdit(d);
      cfg(d, "github").repository = "hive-tools";
      cfg(d, "github").ownsRepositorySettings = true;
      cfg(d, "namespace").name = "hive-tools";
    });
    expect(crossStackProblems([staging(), production(), other])).toEqual([]);
    const sameRepo = stack("tools", "staging", (d) => {
      qaEdit(d);
      cfg(d, "github").owner = "LeanVibe";
      cfg(d, "github").repository = "Agent-Hive";
      cfg(d, "github").ownsRepositorySettings = true;
    });
    expect(found([staging(), production(), sameRepo]).map((p) => p[0])).toEqual(["production", "tools"]);
  });

  it.each(["staging", "Staging", "STAGING"])("refuses the GitHub environment %s in a second stack (GitHub ignores case)", (name) => {
    const problems = found([staging(), production(), qa((d) => (cfg(d, "github").environment = name))]);
    expect(problems).toEqual([["staging", "github.environment", expect.stringMatching(/is the GitHub environment of stack qa too .*GitHub ignores case/)]]);
  });

  it("refuses two stacks protecting one deploy branch", () => {
    const problems = found([staging(), production(), qa((d) => (cfg(d, "github").protectDeployBranch = true))]);
    expect(problems).toEqual([["staging", "github.protectDeployBranch", expect.stringMatching(/stack qa protects develop too/)]]);
  });

  it("refuses two stacks claiming one namespace in one cluster", () => {
    const problems = found([staging(), production(), qa((d) => (cfg(d, "namespace").name = "agent-hive-staging"))]);
    expect(problems).toEqual([["staging", "namespace.name", expect.stringMatching(/is stack qa's namespace too, in the same cluster \(api\.staging\.k8s\.leanvibe\.example:6443\)/)]]);
  });

  it("takes one API server, however spelt, as one cluster", () => {
    const problems = found([
      staging(),
      production(),
      qa((d) => {
        cfg(d, "namespace").name = "agent-hive-staging";
        cfg(d, "kubernetes").apiServer = "https://API.Staging.k8s.leanvibe.example:6443/";
      }),
    ]);
    expect(problems.map((p) => p[1])).toEqual(["namespace.name"]);
  });

  it("allows one namespace name in two clusters", () => {
    const elsewhere = qa((d) => {
      cfg(d, "namespace").name = "agent-hive-staging";
      cfg(d, "kubernetes").apiServer = "https://api.qa.k8s.leanvibe.example:6443";
    });
    expect(crossStackProblems([staging(), production(), elsewhere])).toEqual([]);
  });

  it("refuses an environment namespace that is another stack's add-on namespace in the same cluster", () => {
    // qa's own add-on keys point elsewhere, so only the two stacks together show the clash.
    const problems = found([
      staging(),
      production(),
      qa((d) => {
        cfg(d, "namespace").name = "monitoring";
        (cfg(d, "addons").kubePrometheusStack as Record<string, unknown>).namespace = "observability";
      }),
    ]);
    expect(problems).toEqual([["qa", "namespace.name", expect.stringMatching(/stack staging's add-on namespace \(addons\.kubePrometheusStack\.namespace\)/)]]);
  });

  it("refuses one add-on installed by two stacks in one cluster", () => {
    const problems = found([staging(), production(), qa((d) => (d.config[k("addons")] = cfg(loadStackDoc("staging"), "addons")))]);
    expect(problems.map((p) => [p[0], p[1]])).toEqual([
      ["staging", "addons.argoRollouts.install"],
      ["staging", "addons.kubePrometheusStack.install"],
      ["staging", "addons.pushgateway.install"],
      ["staging", "addons.loki.install"],
      ["staging", "addons.logShipper.install"],
      ["staging", "addons.certManager.install"],
    ]);
    expect(problems[0][2]).toMatch(/stack qa installs it in the same cluster/);
  });

  it("throws one error listing every conflict, each with its stack file", () => {
    const configs = [production(), stack("staging", "staging", (d) => (cfg(d, "github").ownsRepositorySettings = true)), qa((d) => (cfg(d, "github").environment = "Production"))];
    expect(() => checkStacksTogether(configs)).toThrow(CrossStackError);
    try {
      checkStacksTogether(configs);
    } catch (e) {
      const err = e as CrossStackError;
      expect(err.problems).toHaveLength(3);
      expect(err.message).toMatch(/^The stacks conflict with each other \(3 problems\)/);
      expect(err.message).toContain(`- Pulumi.qa.yaml: ${k("github.environment")} = "Production": is the GitHub environment of stack production too`);
    }
  });

  it("has nothing to say about no stacks at all", () => {
    expect(crossStackProblems([])).toEqual([]);
  });
});
