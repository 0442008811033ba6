import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cisco exporter through the HTTP server, as Prometheus's multi-target pattern scrapes it. */
class CiscoServerTest {

    @Test
    void server_scrapes_simulated_and_recorded_switches_by_target_parameter(@TempDir Path dir) throws Exception {
        Path n3k = Snmpsim.realDevices().resolve("nxos_n3k-3064pq.snmprec");
        try (Snmpsim agent = Snmpsim.start(Project.root().resolve("tests/fixtures/cisco/nexus.snmprec"), n3k);
                ServerProcess server = ServerProcess.start(dir, Map.of("CISCO_COMMUNITY", agent.community))) {
            HttpResponse<String> response = server.get("/metrics/cisco?target=" + agent.address());
            assertEquals(200, response.statusCode(), response.body() + "\n" + server.log());
            CiscoExposition body = CiscoExposition.parse(response.body());
            String instance = agent.address();
            assertEquals(1, body.value("cisco_up", "instance", instance));
            assertEquals(1, body.value("cisco_eth_mode", "instance", instance, "interface", "Ethernet1/1",
                    "hwaddr", "003a.9c5a.1b08", "description", "spine01 Eth1/49"));
            assertEquals(5, body.value("cisco_bgp_saf_neighbor_state", "instance", instance, "af_id", "unknown",
                    "neighborid", "10.0.0.1", "router_id", "10.255.0.11", "local_as", "65101", "neighboras", "65000",
                    "safi", "unknown"));
            Promtool.assertParses(response.body());

            // a real Nexus 3064: its port-channel is ethernet, with its description, and a trunk
            HttpResponse<String> recorded = server.get("/metrics/cisco?target=" + agent.address() + "&community="
                    + Snmpsim.community(n3k));
            assertEquals(200, recorded.statusCode(), recorded.body() + "\n" + server.log());
            CiscoExposition n3kBody = CiscoExposition.parse(recorded.body());
            assertEquals(1, n3kBody.value("cisco_eth_mode", "instance", instance, "interface", "port-channel10",
                    "hwaddr", "f872.eae0.0998", "description", "Uplink"));
            assertEquals(List.of(), n3kBody.duplicates());
            for (String command : List.of("interfaces", "counters", "bgp", "system")) {
                assertEquals(1, n3kBody.value("cisco_command_success", "instance", instance, "command", command));
            }

            HttpResponse<String> dead = server.get("/metrics/cisco?target=127.0.0.1:" + SnmpAgents.freeUdpPort()
                    + "&timeout=0.2&retries=0");
            assertEquals(500, dead.statusCode(), dead.body());
            assertTrue(dead.body().contains("no target could be read: 127.0.0.1:"), dead.body()); // Prometheus records up 0
        }
    }
}
