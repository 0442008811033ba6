import java.util.Map;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/** CISCO-PROCESS-MIB (CPU, memory) and HOST-RESOURCES-MIB (processes) to the original's system metrics. */
final class SystemMetrics {
    static final Families.Metric CPU_BUSY = Families.Metric.gauge("cisco_cpu_busy_percent",
            "CPU busy percentage over the interval (CISCO-PROCESS-MIB cpmCPUTotal5secRev, cpmCPUTotal1minRev, "
                    + "cpmCPUTotal5minRev 1.3.6.1.4.1.9.9.109.1.1.1.1.6-8)", "interval");
    static final Families.Metric MEMORY_USED = Families.Metric.gauge("cisco_memory_usage_used",
            "Memory used in KiB (CISCO-PROCESS-MIB cpmCPUMemoryUsed 1.3.6.1.4.1.9.9.109.1.1.1.1.12)");
    static final Families.Metric MEMORY_FREE = Families.Metric.gauge("cisco_memory_usage_free",
            "Memory free in KiB (CISCO-PROCESS-MIB cpmCPUMemoryFree 1.3.6.1.4.1.9.9.109.1.1.1.1.13)");
    static final Families.Metric MEMORY_TOTAL = Families.Metric.gauge("cisco_memory_usage_total",
            "Memory in KiB, used + free (CISCO-PROCESS-MIB cpmCPUMemoryUsed + cpmCPUMemoryFree)");
    static final Families.Metric PROCESSES = Families.Metric.gauge("cisco_processes_total",
            "Processes running (HOST-RESOURCES-MIB hrSystemProcesses 1.3.6.1.2.1.25.1.6.0)");

    private SystemMetrics() {
    }

    /** The first row of cpmCPUTotalTable is the (active supervisor's) CPU: NX-OS has one row. */
    static void add(Families families, String instance, SnmpTable system) {
        Map.Entry<OID, Variable> first = system.column(Mibs.CPM_CPU_TOTAL_5SEC_REV).firstEntry();
        if (first != null) {
            OID cpu = first.getKey();
            families.add(CPU_BUSY, SnmpValues.number(first.getValue()), instance, "5s");
            families.add(CPU_BUSY, SnmpValues.number(system.column(Mibs.CPM_CPU_TOTAL_1MIN_REV).get(cpu)), instance, "1m");
            families.add(CPU_BUSY, SnmpValues.number(system.column(Mibs.CPM_CPU_TOTAL_5MIN_REV).get(cpu)), instance, "5m");
            double used = SnmpValues.number(system.column(Mibs.CPM_CPU_MEMORY_USED).get(cpu));
            double free = SnmpValues.number(system.column(Mibs.CPM_CPU_MEMORY_FREE).get(cpu));
            families.add(MEMORY_USED, used, instance);
            families.add(MEMORY_FREE, free, instance);
            families.add(MEMORY_TOTAL, used + free, instance); // NaN, so left out, unless both are there
        }
        families.add(PROCESSES, SnmpValues.number(system.scalar(Mibs.HR_SYSTEM_PROCESSES)), instance);
    }
}
