# Data-mining flow sizes: Greenberg et al., "VL2: A Scalable and Flexible Data Center
# Network", SIGCOMM 2009, Fig. 2 (flow size distribution of a data-mining cluster).
# The points are the ones used by the pFabric simulations (pFabric, SIGCOMM 2013, Fig. 4(b))
# and distributed as VL2_CDF in github.com/datacenter/empirical-traffic-gen; they are a
# digitisation of the published figure, not raw trace data. Heavy-tailed: half the flows are
# at most 1100 bytes, yet 2% of flows are 100 MB .. 1 GB and carry most of the bytes.
# Format: one "bytes cumulative_probability" pair per line; sizes in between are linearly
# interpolated (the simulators' convention).
0 0
180 0.1
216 0.2
560 0.3
900 0.4
1100 0.5
1870 0.6
3160 0.7
10000 0.8
400000 0.9
3160000 0.95
100000000 0.98
1000000000 1
