/ ip address

add address=192.168.88.1/24 network=192.168.88.0 interface=bridge

add address= 192.168.30.2/24 network=192.168.30.0 interface=Wan1

add address=192.168.42.2/24 network=192.168.42.0 interface=Wan2

/ip firewall mangle

add action=accept chain=prerouting dst-address=192.168.42.0/24 in-interface=bridge

add action=accept chain=prerouting dst-address=192.168.30.0/24 in-interface=bridge
