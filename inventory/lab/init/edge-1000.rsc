# Brownfield edge router of 1000_INTERNET: addresses and defconf NAT, no port forwards yet.
/system identity set name=1000_INTERNET
/interface list
add name=WAN comment=defconf
/interface list member
add interface=ether1 list=WAN comment=defconf
/ip address
add address=198.51.100.2/29 interface=ether1 comment="public"
add address=10.10.0.1/30 interface=sfp-sfpplus1 comment="transit to core"
/ip route
add dst-address=0.0.0.0/0 gateway=198.51.100.1 comment="ISP"
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN comment="defconf: masquerade"
