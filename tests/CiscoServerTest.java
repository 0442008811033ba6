import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cisco exporter through the HTTP server, as Prometheus's multi-target pattern scrapes it. */
class CiscoServerTest {

    @Test
    void server_scrapes_a_simulated_switch_by_target_parameter(@TempDir Path dir) throws Exception {
        try (Snmpsim nexus = Snmpsim.start(Project.root().resolve("tests/fixtures/cisco/nexus.snmprec"));
                ServerProcess server = ServerProcess.start(dir, Map.of("CISCO_COMMUNITY", nexus.community))) {
            HttpResponse<String> response = server.get("/metrics/cisco?target=" + nexus.address());
            assertEquals(200, response.statusCode(), response.body() + "\n" + server.log());
            String body = response.body();
            assertEquals(1, DispatcherTest.value(body, CiscoSnmpsimTest.series(nexus.address(), "cisco_up")));
            assertEquals(1, DispatcherTest.value(body, CiscoSnmpsimTest.series(nexus.address(), "cisco_eth_mode",
                    "interface", "Ethernet1/1", "hwaddr", "003a.9c5a.1b08", "description", "spine01 Eth1/49")));
            assertEquals(5, DispatcherTest.value(body, CiscoSnmpsimTest.series(nexus.address(),
                    "cisco_bgp_saf_neighbor_state", "neighborid", "10.0.0.1", "neighboras", "65000", "local_as", "65101",
                    "router_id", "10.255.0.11")));
            Promtool.assertParses(body);

            HttpResponse<String> dead = server.get("/metrics/cisco?target=127.0.0.1:" + SnmpAgents.freeUdpPort()
                    + "&timeout=0.2&retries=0");
            assertEquals(500, dead.statusCode(), dead.body());
            assertTrue(dead.body().contains("no target answered: 127.0.0.1:"), dead.body()); // Prometheus records up 0
        }
    }
}
