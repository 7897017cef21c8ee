# Web-search flow sizes: Alizadeh et al., "Data Center TCP (DCTCP)", SIGCOMM 2010, Fig. 4
# (the background-flow size CDF measured in a production web-search cluster).
# The points are the ones used by the pFabric/HULL-era simulations and distributed as
# DCTCP_CDF in github.com/datacenter/empirical-traffic-gen (Alizadeh's group); they are a
# digitisation of the published figure, not raw trace data.
# Format: one "bytes cumulative_probability" pair per line; sizes in between are linearly
# interpolated (the simulators' convention). Mean under that interpolation: 1 711 250 bytes.
0 0
10000 0.15
20000 0.2
30000 0.3
50000 0.4
80000 0.53
200000 0.6
1000000 0.7
2000000 0.8
5000000 0.9
10000000 0.97
30000000 1
