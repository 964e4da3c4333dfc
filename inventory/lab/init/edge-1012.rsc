# Brownfield edge router of 1012_INTERNET: addresses and defconf NAT, no port forwards yet.
/system identity set name=1012_INTERNET
/interface list
add name=WAN comment=defconf
/interface list member
add interface=ether1 list=WAN comment=defconf
/ip address
add address=203.0.113.10/29 interface=ether1 comment="public"
add address=10.10.2.1/30 interface=sfp-sfpplus1 comment="transit to core"
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.9 comment="ISP"
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN comment="defconf: masquerade"
add action=masquerade chain=srcnat out-interface=sfp-sfpplus1 comment="to core"
