using System.Collections;
using YamlDotNet.Serialization;

namespace Kefu.UnitTests.Hosting;

/// <summary>
/// <c>deploy/helm/kefu</c> rendered by the test's own renderer (<see cref="HelmTemplate"/>; no <c>helm</c> binary exists
/// on the project's machines) and parsed as Kubernetes YAML: the same deployment as <c>compose.yaml</c> — two nodes that
/// start in order, the image's non-root user on a read-only root filesystem, probes on the server's health endpoint,
/// every secret from a Secret, every setting compose gives a node. Not verified here: Kubernetes' own schema validation
/// and a real install (docs/operations.md, "Helm").
/// </summary>
public sealed class HelmChartTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Chart = Path.Combine(Root, "deploy", "helm", "kefu");

    private static readonly Dictionary<string, object?> Secrets = new()
    {
        ["secrets.postgresPassword"] = "pg-secret-value",
        ["secrets.adminPassword"] = "admin-secret-value",
    };

    [Fact]
    public void Chart_RendersTheComposeDeployment_TwoOrderedNonRootReadOnlyNodes_ProbedOnHealthz_SecretsFromASecret()
    {
        var objects = Render(Secrets);

        var set = Single(objects, "StatefulSet");
        var spec = Map(set, "spec");
        Assert.Equal("2", spec["replicas"]);
        Assert.Equal("OrderedReady", spec["podManagementPolicy"]);
        var pod = Map(Map(spec, "template"), "spec");
        var podSecurity = Map(pod, "securityContext");
        Assert.Equal(("true", "1654"), ((string)podSecurity["runAsNonRoot"], (string)podSecurity["runAsUser"]));
        var container = Assert.IsType<Dictionary<object, object>>(Assert.Single(List(pod, "containers")));
        var security = Map(container, "securityContext");
        Assert.Equal(("true", "false"), ((string)security["readOnlyRootFilesystem"], (string)security["allowPrivilegeEscalation"]));
        Assert.Equal("ALL", Assert.Single(List(Map(security, "capabilities"), "drop")));

        // The Dockerfile's port and data folder; the server's health endpoint.
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var port = Map((Dictionary<object, object>)List(container, "ports")[0]!, null)["containerPort"];
        Assert.Contains($"ENV ASPNETCORE_HTTP_PORTS={port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains(List(container, "volumeMounts").Cast<Dictionary<object, object>>(), m => (string)m["mountPath"] == "/data");
        Assert.Contains("ENV Kefu__Database__DataDirectory=/data", dockerfile, StringComparison.Ordinal);
        Assert.Contains("MapHealthChecks(\"/healthz\")", File.ReadAllText(Path.Combine(Root, "src", "Kefu.Server", "Program.cs")), StringComparison.Ordinal);
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var get = Map(Map(container, probe), "httpGet");
            Assert.Equal(("/healthz", "http"), ((string)get["path"], (string)get["port"]));
        }

        // Every secret comes from the chart's Secret, by a key that Secret holds; no secret value is in the pod spec.
        var secret = Single(objects, "Secret");
        var secretName = Map(secret, "metadata")["name"];
        var keys = Map(secret, "stringData");
        var env = List(container, "env").Cast<Dictionary<object, object>>().ToList();
        foreach (var reference in env.Where(e => e.ContainsKey("valueFrom")).Select(e => Map(Map(e, "valueFrom"), "secretKeyRef")))
        {
            Assert.Equal(secretName, reference["name"]);
            Assert.True(keys.ContainsKey(reference["key"]), $"the Secret has no key {reference["key"]}");
        }

        Assert.Equal(("pg-secret-value", "admin-secret-value"), ((string)keys["postgresPassword"], (string)keys["adminPassword"]));
        var podText = new SerializerBuilder().Build().Serialize(set);
        Assert.DoesNotContain("pg-secret-value", podText, StringComparison.Ordinal);
        Assert.DoesNotContain("admin-secret-value", podText, StringComparison.Ordinal);

        // Every setting compose.yaml gives a node, the chart gives a pod.
        var compose = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(Path.Combine(Root, "compose.yaml")));
        var names = env.Select(e => (string)e["name"]).ToHashSet();
        var missing = Map(Map(compose, "x-kefu"), "environment").Keys.Cast<string>().Where(n => !names.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "settings compose.yaml gives a node and the chart does not: " + string.Join(", ", missing));
        Assert.Equal("Postgres", env.Single(e => (string)e["name"] == "Kefu__Database__Provider")["value"]);

        // The Service and the disruption budget select exactly the pods.
        var podLabels = Map(Map(Map(spec, "template"), "metadata"), "labels");
        foreach (var selector in new[] { Map(Single(objects, "Service", "kefu"), "spec")["selector"], Map(Map(Single(objects, "PodDisruptionBudget"), "spec"), "selector")["matchLabels"] })
        {
            Assert.All(((IDictionary)selector!).Keys.Cast<object>(), k => Assert.Equal(((IDictionary)selector!)[k], podLabels[k]));
        }

        Assert.Equal("ReadWriteMany", Assert.Single(List(Map(Single(objects, "PersistentVolumeClaim"), "spec"), "accessModes")));
        Assert.DoesNotContain(objects, o => (string)o["kind"] == "Ingress");
    }

    [Fact]
    public void Chart_WithAnExistingSecret_AnIngressAndExtraSettings_RendersThem_AndWithoutPasswordsRefuses()
    {
        var objects = Render(new Dictionary<string, object?>
        {
            ["existingSecret"] = "kefu-managed",
            ["ingress.enabled"] = "true",
            ["persistence.existingClaim"] = "shared-data",
            ["extraEnv"] = new Dictionary<object, object?> { ["Kefu__Webhooks__Timeout"] = "00:00:05" },
        });

        Assert.DoesNotContain(objects, o => (string)o["kind"] is "Secret" or "PersistentVolumeClaim");
        var pod = Map(Map(Map(Single(objects, "StatefulSet"), "spec"), "template"), "spec");
        var container = (Dictionary<object, object>)List(pod, "containers")[0]!;
        var env = List(container, "env").Cast<Dictionary<object, object>>().ToList();
        Assert.All(env.Where(e => e.ContainsKey("valueFrom")), e => Assert.Equal("kefu-managed", Map(Map(e, "valueFrom"), "secretKeyRef")["name"]));
        Assert.Equal("00:00:05", env.Single(e => (string)e["name"] == "Kefu__Webhooks__Timeout")["value"]);
        var volume = List(pod, "volumes").Cast<Dictionary<object, object>>().Single(v => (string)v["name"] == "data");
        Assert.Equal("shared-data", Map(volume, "persistentVolumeClaim")["claimName"]);
        var ingress = Single(objects, "Ingress");
        var backend = Map(Map((Dictionary<object, object>)List(Map((Dictionary<object, object>)List(Map(ingress, "spec"), "rules")[0]!, "http"), "paths")[0]!, "backend"), "service");
        Assert.Equal(Map(Single(objects, "Service", "kefu"), "metadata")["name"], backend["name"]);

        var refused = Assert.Throws<InvalidOperationException>(() => Render([]));
        Assert.Contains("secrets.postgresPassword is required", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Every template rendered and parsed; each object has an apiVersion, a kind and a name.</summary>
    private static List<Dictionary<object, object>> Render(Dictionary<string, object?> overrides)
    {
        var template = new HelmTemplate(Chart, "kefu", overrides);
        var deserializer = new DeserializerBuilder().Build();
        var objects = new List<Dictionary<object, object>>();
        foreach (var file in Directory.GetFiles(Path.Combine(Chart, "templates"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = template.Render(file);
            foreach (var document in text.Split("\n---", StringSplitOptions.None))
            {
                var parsed = deserializer.Deserialize<Dictionary<object, object>?>(document);
                if (parsed is null)
                {
                    continue; // a template whose condition is off renders nothing (or only comments)
                }

                Assert.True(parsed.ContainsKey("apiVersion") && parsed.ContainsKey("kind"), $"{Path.GetFileName(file)}: no apiVersion or kind\n{document}");
                Assert.False(string.IsNullOrEmpty(Map(parsed, "metadata")["name"] as string), $"{Path.GetFileName(file)}: no name");
                objects.Add(parsed);
            }
        }

        return objects;
    }

    private static Dictionary<object, object> Single(List<Dictionary<object, object>> objects, string kind, string? name = null) =>
        Assert.Single(objects, o => (string)o["kind"] == kind && (name is null || (string)Map(o, "metadata")["name"] == name));

    private static Dictionary<object, object> Map(Dictionary<object, object> parent, string? key) =>
        key is null ? parent : Assert.IsType<Dictionary<object, object>>(parent[key]);

    private static List<object?> List(Dictionary<object, object> parent, string key) => Assert.IsType<List<object?>>(parent[key]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kefu.slnx not found above the test's folder");
    }
}
