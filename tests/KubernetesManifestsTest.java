import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes (the kustomize base) and deploy/prometheus-operator (its overlay): they build, they pass the
 * Kubernetes and prometheus-operator schemas, and the Deployment agrees with the server, the engine's figures and
 * the image the Dockerfile builds (the Dockerfile is the source of truth for the image; the manifests follow it).
 */
class KubernetesManifestsTest {
    /** The engine's figures (README "Benchmarks"), in MiB: the server idle, a warm worker JVM, a run in flight. */
    static final double SERVER_MIB = 100;
    static final double WORKER_MIB = 75;
    static final double RUN_IN_FLIGHT_MIB = 0.5;
    /** Exporters in use in the memory arithmetic: the README's image, EXPORTERS=dummy,cisco. */
    static final int EXPORTERS_IN_USE = 2;

    @TempDir
    Path dir;

    static Path base() {
        return Manifests.deploy().resolve("kubernetes");
    }

    static Path operatorOverlay() {
        return Manifests.deploy().resolve("prometheus-operator");
    }

    static Set<String> kinds(List<Map<String, Object>> documents) {
        return documents.stream().map(d -> (String) d.get("kind")).collect(Collectors.toCollection(TreeSet::new));
    }

    static Map<String, Object> container(List<Map<String, Object>> documents) {
        return Manifests.at(Manifests.only(documents, "Deployment"), "spec", "template", "spec", "containers", 0);
    }

    static Map<String, String> env(Map<String, Object> container) {
        List<Map<String, Object>> env = Manifests.at(container, "env");
        return env.stream().collect(Collectors.toMap(e -> (String) e.get("name"), e -> (String) e.get("value")));
    }

    static String dockerfile() throws Exception {
        return Files.readString(Project.root().resolve("Dockerfile"));
    }

    static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(matcher.find(), "no match for " + regex);
        return matcher.group(1);
    }

    /** A quantity such as 640Mi in MiB (the only units used here: Mi and Gi). */
    static double mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Double.parseDouble(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        assertTrue(quantity.endsWith("Mi"), "memory in Mi or Gi: " + quantity);
        return Double.parseDouble(quantity.substring(0, quantity.length() - 2));
    }

    @Test
    void kustomize_builds_the_base_and_the_prometheus_operator_overlay() {
        List<Map<String, Object>> base = Manifests.documents(Manifests.build(base()));
        assertEquals(Set.of("ConfigMap", "Deployment", "PodDisruptionBudget", "Secret", "Service"), kinds(base));
        List<Map<String, Object>> overlay = Manifests.documents(Manifests.build(operatorOverlay()));
        assertEquals(Set.of("ConfigMap", "Deployment", "PodDisruptionBudget", "Secret", "Service", "ServiceMonitor",
                "ScrapeConfig"), kinds(overlay));
        for (Map<String, Object> document : overlay) {
            assertEquals("monitoring", Manifests.at(document, "metadata", "namespace"), "namespace of " + document.get("kind"));
        }
        String url = Manifests.at(Manifests.only(overlay, "ScrapeConfig"), "spec", "httpSDConfigs", 0, "url");
        assertEquals("http://metrics.monitoring.svc:8080/discovery", url, "the Service, in the overlay's namespace");
    }

    @Test
    void every_manifest_passes_the_kubernetes_and_prometheus_operator_schemas() {
        for (Path kustomization : List.of(base(), operatorOverlay())) {
            String built = Manifests.build(kustomization);
            Commands.Result result = Manifests.validate(built, dir);
            assertEquals(0, result.exit(), kustomization + ":\n" + result.describe());
            List<String> lines = result.out().lines().toList();
            assertEquals(Manifests.documents(built).size(), lines.size(), result.out());
            assertTrue(lines.stream().allMatch(line -> line.startsWith("ok ")), result.out());
        }
    }

    @Test
    void the_validator_rejects_a_misspelt_field_a_wrong_type_and_a_kind_it_has_no_schema_for() {
        String built = Manifests.build(operatorOverlay());
        String broken = built.replace("readinessProbe:", "readinesProbe:")
                .replace("replicas: 2", "replicas: \"2\"")
                .replace("  relabelings:", "  relabelingz:")
                + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";
        Commands.Result result = Manifests.validate(broken, dir);
        assertEquals(1, result.exit(), result.describe());
        String deployment = result.out().lines().filter(l -> l.contains("Deployment/metrics")).findFirst().orElse("");
        assertTrue(deployment.startsWith("invalid ") && deployment.contains("readinesProbe")
                && deployment.contains("replicas"), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("invalid ") && l.contains("ScrapeConfig/")
                && l.contains("relabelingz")), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("invalid example.com/v1 Widget/w: no schema")),
                result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("ok ") && l.contains("Service/metrics")),
                "the rest stays valid:\n" + result.out());
    }

    @Test
    void the_deployment_probes_the_servers_health_and_readiness_and_runs_unprivileged_on_a_read_only_root()
            throws Exception {
        List<Map<String, Object>> documents = Manifests.documents(Manifests.build(base()));
        Map<String, Object> pod = Manifests.at(Manifests.only(documents, "Deployment"), "spec", "template", "spec");
        Map<String, Object> container = container(documents);
        Map<String, String> env = env(container);

        assertEquals(2, (int) Manifests.at(Manifests.only(documents, "Deployment"), "spec", "replicas"));
        assertEquals("/-/ready", Manifests.at(container, "readinessProbe", "httpGet", "path"));
        assertEquals("/-/healthy", Manifests.at(container, "livenessProbe", "httpGet", "path"));
        assertEquals("/-/healthy", Manifests.at(container, "startupProbe", "httpGet", "path"));
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertEquals("http", Manifests.at(container, probe, "httpGet", "port"), probe);
        }
        assertEquals("http", Manifests.at(container, "ports", 0, "name"));
        assertEquals(Integer.parseInt(env.get("PORT")), (int) Manifests.at(container, "ports", 0, "containerPort"));

        String uid = group(dockerfile(), "useradd .*--uid (\\d+)");
        assertEquals(true, Manifests.at(pod, "securityContext", "runAsNonRoot"));
        assertEquals(Integer.parseInt(uid), (int) Manifests.at(pod, "securityContext", "runAsUser"),
                "the image's user, by number: the kubelet cannot check a name against runAsNonRoot");
        assertEquals(Integer.parseInt(uid), (int) Manifests.at(pod, "securityContext", "runAsGroup"));
        assertEquals(true, Manifests.at(container, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(false, Manifests.at(container, "securityContext", "allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), Manifests.at(container, "securityContext", "capabilities", "drop"));

        // Every place the server and its JVMs write is an emptyDir: TMPDIR (its private directory; the JVMs'
        // hsperfdata under /tmp); the cache, the exporters' built commands, is the image's, read-only.
        List<Map<String, Object>> volumes = Manifests.at(pod, "volumes");
        List<Map<String, Object>> mounts = Manifests.at(container, "volumeMounts");
        Set<String> emptyDirMounts = mounts.stream().filter(m -> volumes.stream().anyMatch(v ->
                v.get("name").equals(m.get("name")) && v.containsKey("emptyDir")))
                .map(m -> (String) m.get("mountPath")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("/tmp"), emptyDirMounts);
        assertEquals("/tmp", env.get("TMPDIR"));

        // the two configuration files: the ConfigMap and the Secret the generators made, at the paths the env names
        String configMap = Manifests.at(Manifests.only(documents, "ConfigMap"), "metadata", "name");
        String secret = Manifests.at(Manifests.only(documents, "Secret"), "metadata", "name");
        Map<String, String> fileOfVolume = Map.of(configMap, env.get("CONFIG_FILE"), secret, env.get("WEB_CONFIG_FILE"));
        for (Map<String, Object> volume : volumes) {
            String source = volume.containsKey("configMap") ? Manifests.at(volume, "configMap", "name")
                    : volume.containsKey("secret") ? Manifests.at(volume, "secret", "secretName") : null;
            if (source == null) {
                continue;
            }
            String mountPath = mounts.stream().filter(m -> m.get("name").equals(volume.get("name")))
                    .map(m -> (String) m.get("mountPath")).findFirst().orElseThrow();
            Path file = Path.of(fileOfVolume.get(source));
            assertEquals(Path.of(mountPath), file.getParent(), "where " + source + " is mounted");
            Map<String, Object> data = Manifests.at(documents.stream().filter(d -> source.equals(
                    Manifests.at(d, "metadata", "name"))).findFirst().orElseThrow(), "data");
            assertEquals(Set.of(file.getFileName().toString()), data.keySet(), "the file in " + source);
        }
    }

    @Test
    void the_memory_limit_follows_from_the_engine_figures_and_the_grace_period_from_timeout() {
        List<Map<String, Object>> documents = Manifests.documents(Manifests.build(base()));
        Map<String, Object> container = container(documents);
        Map<String, String> env = env(container);

        double atFullAdmission = SERVER_MIB + EXPORTERS_IN_USE * Integer.parseInt(env.get("WORKERS")) * WORKER_MIB
                + Integer.parseInt(env.get("MAX_CONCURRENT_RUNS")) * RUN_IN_FLIGHT_MIB;
        double withOneGrownWorker = atFullAdmission + Integer.parseInt(env.get("WORKER_MAX_MB")) - WORKER_MIB;
        double limit = mebibytes(Manifests.at(container, "resources", "limits", "memory"));
        assertEquals(581, withOneGrownWorker, 0.01, "the arithmetic in deployment.yaml's comment");
        assertTrue(limit >= withOneGrownWorker && limit <= withOneGrownWorker * 1.2,
                "limit " + limit + " MiB for " + withOneGrownWorker + " MiB (a worker grown to WORKER_MAX_MB)");
        assertEquals(limit, mebibytes(Manifests.at(container, "resources", "requests", "memory")),
                "memory requested in full");
        assertTrue(Manifests.at(container, "resources", "requests") instanceof Map<?, ?> requests
                && requests.containsKey("cpu"), "a CPU request");
        assertTrue(!((Map<?, ?>) Manifests.at(container, "resources", "limits")).containsKey("cpu"), "no CPU limit");

        // SIGTERM: runs in flight get up to TIMEOUT, then 1 s, then the workers a second or two to stop
        int timeout = Integer.parseInt(env.get("TIMEOUT"));
        List<String> preStop = Manifests.at(container, "lifecycle", "preStop", "exec", "command");
        assertEquals("/bin/sleep", preStop.get(0));
        int pause = Integer.parseInt(preStop.get(1));
        int needed = pause + timeout + 1 + 2;
        int grace = Manifests.at(Manifests.only(documents, "Deployment"), "spec", "template", "spec",
                "terminationGracePeriodSeconds");
        assertTrue(grace >= needed && grace <= needed + 10, "terminationGracePeriodSeconds " + grace
                + " for a " + pause + " s pause, TIMEOUT " + timeout + " s and the stop: " + needed + " s");

        Map<String, Object> budget = Manifests.only(documents, "PodDisruptionBudget");
        assertEquals(1, (int) Manifests.at(budget, "spec", "maxUnavailable"));
        Map<String, Object> selected = Manifests.at(Manifests.only(documents, "Deployment"), "spec", "selector",
                "matchLabels");
        assertEquals(selected, Manifests.<Map<String, Object>>at(budget, "spec", "selector", "matchLabels"));
    }

    @Test
    void the_image_is_the_one_the_dockerfile_builds_and_runs_as_the_deployment_expects() throws Exception {
        String dockerfile = dockerfile();
        // the tag the Dockerfile's own build command gives; the Deployment names it, kustomize says where it lives
        String tag = group(dockerfile, "^#.*\\bdocker build .* -t (\\S+) \\.$");
        String raw = Files.readString(base().resolve("deployment.yaml"));
        assertEquals(tag, group(raw, "^\\s+image: (\\S+)$"), "deployment.yaml's image is the Dockerfile's tag");
        Map<String, Object> kustomization = Manifests.documents(Files.readString(base().resolve("kustomization.yaml")))
                .get(0);
        Map<String, Object> image = Manifests.at(kustomization, "images", 0);
        assertEquals(tag, image.get("name"));
        List<Map<String, Object>> documents = Manifests.documents(Manifests.build(base()));
        assertEquals(image.get("newName") + ":" + image.get("newTag"), Manifests.at(container(documents), "image"));

        // what the Deployment relies on in the image
        Map<String, String> env = env(container(documents));
        assertEquals(group(dockerfile, "^EXPOSE (\\d+)$"), env.get("PORT"));
        assertEquals("metrics", group(dockerfile, "^USER (\\S+)$"));
        assertTrue(group(dockerfile, "^ENTRYPOINT \\[\"([^\"]+)\"").equals("/usr/bin/tini"),
                "tini passes SIGTERM on to the server: the grace period counts on its graceful stop");
    }

    @Test
    void the_configuration_files_in_the_configmap_and_the_secret_pass_the_servers_check() throws Exception {
        List<Map<String, Object>> documents = Manifests.documents(Manifests.build(base()));
        Map<String, Object> configData = Manifests.at(Manifests.only(documents, "ConfigMap"), "data");
        Map<String, Object> secretData = Manifests.at(Manifests.only(documents, "Secret"), "data");
        Path config = Files.writeString(dir.resolve("metrics.yml"), (String) configData.get("metrics.yml"));
        Path web = Files.write(dir.resolve("web.yml"), Base64.getMimeDecoder().decode((String) secretData.get("web.yml")));
        Commands.Result check = Commands.jbang("server", "--config.check", "--config.file=" + config,
                "--web.config.file=" + web);
        assertEquals(0, check.exit(), check.describe());
        assertTrue(new String(Files.readAllBytes(web), StandardCharsets.UTF_8).contains("http_server_config"));
    }
}
