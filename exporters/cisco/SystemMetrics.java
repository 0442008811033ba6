import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.snmp4j.smi.OID;

/**
 * CISCO-PROCESS-MIB (CPUs, memory), CISCO-MEMORY-POOL-MIB (memory of classic IOS), CISCO-ENHANCED-MEMPOOL-MIB
 * (memory of IOS-XR) and HOST-RESOURCES-MIB (processes) to the original's system metrics.
 */
final class SystemMetrics {
    static final Families.Metric CPU_BUSY = Families.Metric.gauge("cisco_cpu_busy_percent",
            "CPU busy percentage over the interval, of each CPU, named by entPhysicalName (CISCO-PROCESS-MIB "
                    + "cpmCPUTotal5secRev, cpmCPUTotal1minRev, cpmCPUTotal5minRev 1.3.6.1.4.1.9.9.109.1.1.1.1.6-8)",
            "cpu", "interval");
    private static final String MEMORY_SOURCE = "CISCO-PROCESS-MIB cpmCPUMemory%s 1.3.6.1.4.1.9.9.109.1.1.1.1.%s of "
            + "every CPU, else CISCO-MEMORY-POOL-MIB ciscoMemoryPool%s 1.3.6.1.4.1.9.9.48.1.1.1.%s.1 / 1024, else "
            + "CISCO-ENHANCED-MEMPOOL-MIB cempMemPoolHC%s 1.3.6.1.4.1.9.9.221.1.1.1.1.%s of every processor pool / 1024";
    static final Families.Metric MEMORY_USED = Families.Metric.gauge("cisco_memory_usage_used",
            "Memory used in KiB (" + String.format(MEMORY_SOURCE, "Used", "12", "Used", "5", "Used", "18") + ")");
    static final Families.Metric MEMORY_FREE = Families.Metric.gauge("cisco_memory_usage_free",
            "Memory free in KiB (" + String.format(MEMORY_SOURCE, "Free", "13", "Free", "6", "Free", "20") + ")");
    static final Families.Metric MEMORY_TOTAL = Families.Metric.gauge("cisco_memory_usage_total",
            "Memory in KiB, used + free (a gauge, under the original's name)");
    static final Families.Metric PROCESSES = Families.Metric.gauge("cisco_processes_total",
            "Processes running (HOST-RESOURCES-MIB hrSystemProcesses 1.3.6.1.2.1.25.1.6.0)");

    private static final OID[] CPU_COLUMNS = {Mibs.CPM_CPU_TOTAL_5SEC_REV, Mibs.CPM_CPU_TOTAL_1MIN_REV,
        Mibs.CPM_CPU_TOTAL_5MIN_REV};
    private static final String[] INTERVALS = {"5s", "1m", "5m"};

    private SystemMetrics() {
    }

    /** Every row of cpmCPUTotalTable that has a busy percentage, by cpmCPUTotalIndex. */
    static TreeSet<OID> cpus(SnmpTable system) {
        TreeSet<OID> cpus = new TreeSet<>();
        for (OID column : CPU_COLUMNS) {
            cpus.addAll(system.column(column).keySet()); // IOS-XR has no 5-second column
        }
        return cpus;
    }

    /** The entPhysicalIndex of every CPU that names one (0: none). */
    static TreeSet<Integer> cpuPhysicalIndexes(SnmpTable system) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (OID cpu : cpus(system)) {
            double physical = SnmpValues.number(system.column(Mibs.CPM_CPU_TOTAL_PHYSICAL_INDEX).get(cpu));
            if (physical > 0 && physical <= Integer.MAX_VALUE) {
                indexes.add((int) physical);
            }
        }
        return indexes;
    }

    /**
     * The {@code cpu} label of each CPU: entPhysicalName of its cpmCPUTotalPhysicalIndex ({@code Switch 2},
     * {@code module 0/RSP0/CPU0}); without one, {@code cpmCPUTotalIndex N}; and with the index too when two
     * CPUs would share a name.
     */
    static Map<OID, String> cpuLabels(SnmpTable system) {
        Map<OID, String> labels = new LinkedHashMap<>();
        Map<String, Integer> uses = new HashMap<>();
        for (OID cpu : cpus(system)) {
            double physical = SnmpValues.number(system.column(Mibs.CPM_CPU_TOTAL_PHYSICAL_INDEX).get(cpu));
            String name = physical > 0 && physical <= Integer.MAX_VALUE
                    ? SnmpValues.text(system.column(Mibs.ENT_PHYSICAL_NAME).get(new OID(new int[] {(int) physical})))
                    : null;
            String label = name == null || name.isBlank() ? "cpmCPUTotalIndex " + cpu : name;
            labels.put(cpu, label);
            uses.merge(label, 1, Integer::sum);
        }
        labels.replaceAll((cpu, label) -> uses.get(label) > 1 && !label.startsWith("cpmCPUTotalIndex ")
                ? label + " (cpmCPUTotalIndex " + cpu + ")" : label);
        return labels;
    }

    static void add(Families families, String instance, SnmpTable system) {
        Map<OID, String> labels = cpuLabels(system);
        for (Map.Entry<OID, String> cpu : labels.entrySet()) {
            for (int i = 0; i < CPU_COLUMNS.length; i++) {
                families.add(CPU_BUSY, SnmpValues.number(system.column(CPU_COLUMNS[i]).get(cpu.getKey())), instance,
                        cpu.getValue(), INTERVALS[i]);
            }
        }
        double[] memory = memory(system, system.column(Mibs.CPM_CPU_MEMORY_USED).keySet(), Mibs.CPM_CPU_MEMORY_USED,
                Mibs.CPM_CPU_MEMORY_FREE, 1);
        double used = memory[0];
        double free = memory[1];
        if (Double.isNaN(used)) { // classic IOS: the processor pool, in bytes
            used = SnmpValues.number(system.column(Mibs.CISCO_MEMORY_POOL_USED).get(Mibs.PROCESSOR_POOL)) / 1024;
            free = SnmpValues.number(system.column(Mibs.CISCO_MEMORY_POOL_FREE).get(Mibs.PROCESSOR_POOL)) / 1024;
        }
        if (Double.isNaN(used)) { // IOS-XR: the processor pool of each route processor, in bytes
            List<OID> processorPools = system.column(Mibs.CEMP_MEM_POOL_TYPE).entrySet().stream()
                    .filter(pool -> SnmpValues.number(pool.getValue()) == Mibs.CEMP_PROCESSOR_MEMORY)
                    .map(Map.Entry::getKey).toList();
            memory = memory(system, processorPools, Mibs.CEMP_MEM_POOL_HC_USED, Mibs.CEMP_MEM_POOL_HC_FREE, 1024);
            used = memory[0];
            free = memory[1];
        }
        families.add(MEMORY_USED, used, instance);
        families.add(MEMORY_FREE, free, instance);
        families.add(MEMORY_TOTAL, used + free, instance); // NaN, so left out, unless both are there
        families.add(PROCESSES, SnmpValues.number(system.scalar(Mibs.HR_SYSTEM_PROCESSES)), instance);
    }

    /** Used and free summed over the {@code rows} that have both, divided by {@code unit}; NaN, NaN for none. */
    private static double[] memory(SnmpTable system, Collection<OID> rows, OID usedColumn, OID freeColumn,
            double unit) {
        double used = Double.NaN;
        double free = Double.NaN;
        for (OID row : rows) {
            double rowUsed = SnmpValues.number(system.column(usedColumn).get(row));
            double rowFree = SnmpValues.number(system.column(freeColumn).get(row));
            if (!Double.isNaN(rowUsed) && !Double.isNaN(rowFree)) {
                used = (Double.isNaN(used) ? 0 : used) + rowUsed / unit;
                free = (Double.isNaN(free) ? 0 : free) + rowFree / unit;
            }
        }
        return new double[] {used, free};
    }
}
