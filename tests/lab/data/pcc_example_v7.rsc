/routing table
add name=to_Wan1 fib
add name=to_Wan2 fib

/ ip address
add address=192.168.88.1/24 network=192.168.88.0 interface=bridge
add address=192.168.30.2/24 network=192.168.30.0 interface=Wan1
add address=192.168.42.2/24 network=192.168.42.0 interface=Wan2

/ip firewall mangle
add action=accept chain=prerouting dst-address=192.168.42.0/24 in-interface=bridge
add action=accept chain=prerouting dst-address=192.168.30.0/24 in-interface=bridge
add action=mark-connection chain=input connection-mark=no-mark in-interface=Wan1 new-connection-mark=Wan1_conn passthrough=yes
add action=mark-connection chain=input connection-mark=no-mark in-interface=Wan2 new-connection-mark=Wan2_conn passthrough=yes
add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface=bridge new-connection-mark=Wan1_conn passthrough=yes per-connection-classifier=both-addresses-and-ports:2/0
add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface=bridge new-connection-mark=Wan2_conn passthrough=yes per-connection-classifier=both-addresses-and-ports:2/1
add action=mark-routing chain=prerouting connection-mark=Wan1_conn in-interface=bridge new-routing-mark=to_Wan1 passthrough=no
add action=mark-routing chain=prerouting connection-mark=Wan2_conn in-interface=bridge new-routing-mark=to_Wan2 passthrough=no
add action=mark-routing chain=output connection-mark=Wan1_conn new-routing-mark=to_Wan1
add action=mark-routing chain=output connection-mark=Wan2_conn new-routing-mark=to_Wan2

/ip firewall nat
add action=masquerade chain=srcnat out-interface=Wan1
add action=masquerade chain=srcnat out-interface=Wan2
