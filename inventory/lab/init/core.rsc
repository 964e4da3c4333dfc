# Brownfield core (CCR1072): interfaces, VLANs and addresses present, no policy routing yet.
/system identity set name=CORE
/interface vlan
add interface=sfp-sfpplus1 name=VLAN3002 vlan-id=3002 comment="1012_INTERNET transit"
add interface=sfp-sfpplus1 name=VLAN3000 vlan-id=3000 comment="1000_INTERNET transit"
add interface=sfp-sfpplus1 name=VLAN3003 vlan-id=3003 comment="1005_INTERNET transit"
add interface=sfp-sfpplus2 name=VLAN1000 vlan-id=1000 comment="VCID Office"
add interface=sfp-sfpplus2 name=VLAN1001 vlan-id=1001 comment="26 PBS"
add interface=sfp-sfpplus2 name=VLAN1002 vlan-id=1002 comment="Glenmore School"
add interface=sfp-sfpplus2 name=VLAN1003 vlan-id=1003 comment="Harbourside School"
add interface=sfp-sfpplus2 name=VLAN1004 vlan-id=1004 comment="Ivybridge School"
add interface=sfp-sfpplus2 name=VLAN1005 vlan-id=1005 comment="8KBS"
add interface=sfp-sfpplus2 name=VLAN1006 vlan-id=1006 comment="Larchmont Clinic"
add interface=sfp-sfpplus2 name=VLAN1007 vlan-id=1007 comment="Millbrook Clinic"
add interface=sfp-sfpplus2 name=VLAN1008 vlan-id=1008 comment="Northgate Depot"
add interface=sfp-sfpplus2 name=VLAN1009 vlan-id=1009 comment="Riverside Depot"
add interface=sfp-sfpplus2 name=VLAN1010 vlan-id=1010 comment="Hillcrest Depot"
add interface=sfp-sfpplus2 name=VLAN1011 vlan-id=1011 comment="Lakeview Library"
add interface=sfp-sfpplus2 name=VLAN1012 vlan-id=1012 comment="VPS School"
add interface=sfp-sfpplus2 name=VLAN1013 vlan-id=1013 comment="Westfield Library"
add interface=sfp-sfpplus2 name=VLAN1014 vlan-id=1014 comment="Eastbrook Warehouse"
add interface=sfp-sfpplus2 name=VLAN1015 vlan-id=1015 comment="Southpark Warehouse"
add interface=sfp-sfpplus2 name=VLAN1016 vlan-id=1016 comment="Meadowbank Warehouse"
add interface=sfp-sfpplus2 name=VLAN1017 vlan-id=1017 comment="Stonebridge Campus"
add interface=sfp-sfpplus2 name=VLAN1018 vlan-id=1018 comment="Ashford Campus"
add interface=sfp-sfpplus2 name=VLAN1019 vlan-id=1019 comment="Brookside Campus"
add interface=sfp-sfpplus2 name=VLAN1020 vlan-id=1020 comment="Cedarvale Hostel"
add interface=sfp-sfpplus2 name=VLAN1021 vlan-id=1021 comment="Elmwood Hostel"
add interface=sfp-sfpplus2 name=VLAN1022 vlan-id=1022 comment="Fairhaven Hostel"
add interface=sfp-sfpplus2 name=VLAN1023 vlan-id=1023 comment="Glenmore Lab"
add interface=sfp-sfpplus2 name=VLAN1024 vlan-id=1024 comment="Harbourside Lab"
add interface=sfp-sfpplus2 name=VLAN1025 vlan-id=1025 comment="Ivybridge Lab"
add interface=sfp-sfpplus2 name=VLAN1026 vlan-id=1026 comment="Kingsway Office"
add interface=sfp-sfpplus2 name=VLAN1027 vlan-id=1027 comment="Larchmont Office"
add interface=sfp-sfpplus2 name=VLAN1028 vlan-id=1028 comment="Millbrook Office"
add interface=sfp-sfpplus2 name=VLAN1029 vlan-id=1029 comment="Northgate School"
add interface=sfp-sfpplus2 name=VLAN1030 vlan-id=1030 comment="Riverside School"
add interface=sfp-sfpplus2 name=VLAN1031 vlan-id=1031 comment="Hillcrest School"
add interface=sfp-sfpplus2 name=VLAN1032 vlan-id=1032 comment="Lakeview Clinic"
add interface=sfp-sfpplus2 name=VLAN1033 vlan-id=1033 comment="Oakridge Clinic"
add interface=sfp-sfpplus2 name=VLAN1034 vlan-id=1034 comment="Westfield Clinic"
add interface=sfp-sfpplus2 name=VLAN1035 vlan-id=1035 comment="Eastbrook Depot"
add interface=sfp-sfpplus2 name=VLAN1036 vlan-id=1036 comment="Southpark Depot"
add interface=sfp-sfpplus2 name=VLAN1037 vlan-id=1037 comment="Meadowbank Depot"
add interface=sfp-sfpplus2 name=VLAN1038 vlan-id=1038 comment="Stonebridge Library"
add interface=sfp-sfpplus2 name=VLAN1039 vlan-id=1039 comment="Ashford Library"
add interface=sfp-sfpplus2 name=VLAN1040 vlan-id=1040 comment="Brookside Library"
add interface=sfp-sfpplus2 name=VLAN1041 vlan-id=1041 comment="Cedarvale Warehouse"
add interface=sfp-sfpplus2 name=VLAN1042 vlan-id=1042 comment="Elmwood Warehouse"
add interface=sfp-sfpplus2 name=VLAN1043 vlan-id=1043 comment="Fairhaven Warehouse"
add interface=sfp-sfpplus2 name=VLAN1044 vlan-id=1044 comment="Glenmore Campus"
add interface=sfp-sfpplus2 name=VLAN1045 vlan-id=1045 comment="Harbourside Campus"
add interface=sfp-sfpplus2 name=VLAN1046 vlan-id=1046 comment="Ivybridge Campus"
add interface=sfp-sfpplus2 name=VLAN1047 vlan-id=1047 comment="Kingsway Hostel"
add interface=sfp-sfpplus2 name=VLAN1048 vlan-id=1048 comment="Larchmont Hostel"
add interface=sfp-sfpplus2 name=VLAN1049 vlan-id=1049 comment="Millbrook Hostel"
add interface=sfp-sfpplus2 name=VLAN1050 vlan-id=1050 comment="Northgate Lab"
add interface=sfp-sfpplus2 name=VLAN1051 vlan-id=1051 comment="Riverside Lab"
add interface=sfp-sfpplus2 name=VLAN1052 vlan-id=1052 comment="Hillcrest Lab"
add interface=sfp-sfpplus2 name=VLAN1053 vlan-id=1053 comment="Lakeview Office"
add interface=sfp-sfpplus2 name=VLAN1054 vlan-id=1054 comment="Oakridge Office"
add interface=sfp-sfpplus2 name=VLAN1055 vlan-id=1055 comment="Westfield Office"
add interface=sfp-sfpplus2 name=VLAN1056 vlan-id=1056 comment="Eastbrook School"
add interface=sfp-sfpplus2 name=VLAN1057 vlan-id=1057 comment="Southpark School"
add interface=sfp-sfpplus2 name=VLAN1058 vlan-id=1058 comment="Meadowbank School"
add interface=sfp-sfpplus2 name=VLAN1059 vlan-id=1059 comment="Stonebridge Clinic"
add interface=sfp-sfpplus2 name=VLAN1060 vlan-id=1060 comment="Ashford Clinic"
add interface=sfp-sfpplus2 name=VLAN1061 vlan-id=1061 comment="Brookside Clinic"
add interface=sfp-sfpplus2 name=VLAN1062 vlan-id=1062 comment="Cedarvale Depot"
add interface=sfp-sfpplus2 name=VLAN1101 vlan-id=1101 comment="Core Servers"
/ip address
add address=10.10.2.2/30 interface=VLAN3002 comment="1012_INTERNET transit"
add address=10.10.0.2/30 interface=VLAN3000 comment="1000_INTERNET transit"
add address=10.10.3.2/30 interface=VLAN3003 comment="1005_INTERNET transit"
add address=10.11.0.250/24 interface=VLAN1000
add address=10.11.1.250/24 interface=VLAN1001
add address=10.11.2.250/24 interface=VLAN1002
add address=10.11.3.250/24 interface=VLAN1003
add address=10.11.4.250/24 interface=VLAN1004
add address=10.11.5.250/24 interface=VLAN1005
add address=10.11.6.250/24 interface=VLAN1006
add address=10.11.7.250/24 interface=VLAN1007
add address=10.11.8.250/24 interface=VLAN1008
add address=10.11.9.250/24 interface=VLAN1009
add address=10.11.10.250/24 interface=VLAN1010
add address=10.11.11.250/24 interface=VLAN1011
add address=10.11.12.250/24 interface=VLAN1012
add address=10.11.13.250/24 interface=VLAN1013
add address=10.11.14.250/24 interface=VLAN1014
add address=10.11.15.250/24 interface=VLAN1015
add address=10.11.16.250/24 interface=VLAN1016
add address=10.11.17.250/24 interface=VLAN1017
add address=10.11.18.250/24 interface=VLAN1018
add address=10.11.19.250/24 interface=VLAN1019
add address=10.11.20.250/24 interface=VLAN1020
add address=10.11.21.250/24 interface=VLAN1021
add address=10.11.22.250/24 interface=VLAN1022
add address=10.11.23.250/24 interface=VLAN1023
add address=10.11.24.250/24 interface=VLAN1024
add address=10.11.25.250/24 interface=VLAN1025
add address=10.11.26.250/24 interface=VLAN1026
add address=10.11.27.250/24 interface=VLAN1027
add address=10.11.28.250/24 interface=VLAN1028
add address=10.11.29.250/24 interface=VLAN1029
add address=10.11.30.250/24 interface=VLAN1030
add address=10.11.31.250/24 interface=VLAN1031
add address=10.11.32.250/24 interface=VLAN1032
add address=10.11.33.250/24 interface=VLAN1033
add address=10.11.34.250/24 interface=VLAN1034
add address=10.11.35.250/24 interface=VLAN1035
add address=10.11.36.250/24 interface=VLAN1036
add address=10.11.37.250/24 interface=VLAN1037
add address=10.11.38.250/24 interface=VLAN1038
add address=10.11.39.250/24 interface=VLAN1039
add address=10.11.40.250/24 interface=VLAN1040
add address=10.11.41.250/24 interface=VLAN1041
add address=10.11.42.250/24 interface=VLAN1042
add address=10.11.43.250/24 interface=VLAN1043
add address=10.11.44.250/24 interface=VLAN1044
add address=10.11.45.250/24 interface=VLAN1045
add address=10.11.46.250/24 interface=VLAN1046
add address=10.11.47.250/24 interface=VLAN1047
add address=10.11.48.250/24 interface=VLAN1048
add address=10.11.49.250/24 interface=VLAN1049
add address=10.11.50.250/24 interface=VLAN1050
add address=10.11.51.250/24 interface=VLAN1051
add address=10.11.52.250/24 interface=VLAN1052
add address=10.11.53.250/24 interface=VLAN1053
add address=10.11.54.250/24 interface=VLAN1054
add address=10.11.55.250/24 interface=VLAN1055
add address=10.11.56.250/24 interface=VLAN1056
add address=10.11.57.250/24 interface=VLAN1057
add address=10.11.58.250/24 interface=VLAN1058
add address=10.11.59.250/24 interface=VLAN1059
add address=10.11.60.250/24 interface=VLAN1060
add address=10.11.61.250/24 interface=VLAN1061
add address=10.11.62.250/24 interface=VLAN1062
add address=10.11.101.250/24 interface=VLAN1101
/ip route
add dst-address=0.0.0.0/0 gateway=10.10.2.1 comment="default via 1012"
add dst-address=172.16.0.0/24 gateway=10.11.0.1 comment="northgate_school_000"
add dst-address=172.16.1.0/24 gateway=10.11.1.1 comment="southpark_clinic_001"
add dst-address=172.16.2.0/24 gateway=10.11.2.1 comment="fairhaven_office_002"
add dst-address=172.16.3.0/24 gateway=10.11.3.1 comment="northgate_depot_003"
add dst-address=172.17.3.0/24 gateway=10.11.3.1 comment="northgate_depot_003"
add dst-address=172.16.4.0/24 gateway=10.11.4.1 comment="southpark_library_004"
add dst-address=172.16.5.0/24 gateway=10.11.5.1 comment="fairhaven_shop_005"
add dst-address=172.16.6.0/24 gateway=10.11.6.1 comment="northgate_annex_006"
add dst-address=172.16.7.0/24 gateway=10.11.7.1 comment="southpark_kiosk_007"
add dst-address=172.16.8.0/24 gateway=10.11.8.1 comment="fairhaven_school_008"
add dst-address=172.16.9.0/24 gateway=10.11.9.1 comment="northgate_clinic_009"
add dst-address=172.16.10.0/24 gateway=10.11.10.1 comment="southpark_office_010"
add dst-address=172.16.11.0/24 gateway=10.11.11.1 comment="fairhaven_depot_011"
add dst-address=172.16.12.0/24 gateway=10.11.12.1 comment="northgate_library_012"
add dst-address=172.16.13.0/24 gateway=10.11.13.1 comment="southpark_shop_013"
add dst-address=172.17.13.0/24 gateway=10.11.13.1 comment="southpark_shop_013"
add dst-address=172.16.14.0/24 gateway=10.11.14.1 comment="fairhaven_annex_014"
add dst-address=172.16.15.0/24 gateway=10.11.15.1 comment="northgate_kiosk_015"
add dst-address=172.16.16.0/24 gateway=10.11.16.1 comment="southpark_school_016"
add dst-address=172.16.17.0/24 gateway=10.11.17.1 comment="fairhaven_clinic_017"
add dst-address=172.16.18.0/24 gateway=10.11.18.1 comment="northgate_office_018"
add dst-address=172.16.19.0/24 gateway=10.11.19.1 comment="southpark_depot_019"
add dst-address=172.16.20.0/24 gateway=10.11.20.1 comment="fairhaven_library_020"
add dst-address=172.16.21.0/24 gateway=10.11.21.1 comment="northgate_shop_021"
add dst-address=172.16.22.0/24 gateway=10.11.22.1 comment="southpark_annex_022"
add dst-address=172.16.23.0/24 gateway=10.11.23.1 comment="fairhaven_kiosk_023"
add dst-address=172.17.23.0/24 gateway=10.11.23.1 comment="fairhaven_kiosk_023"
add dst-address=172.16.24.0/24 gateway=10.11.24.1 comment="northgate_school_024"
add dst-address=172.16.25.0/24 gateway=10.11.25.1 comment="southpark_clinic_025"
add dst-address=172.16.26.0/24 gateway=10.11.26.1 comment="fairhaven_office_026"
add dst-address=172.16.27.0/24 gateway=10.11.27.1 comment="northgate_depot_027"
add dst-address=172.16.28.0/24 gateway=10.11.28.1 comment="southpark_library_028"
add dst-address=172.16.29.0/24 gateway=10.11.29.1 comment="fairhaven_shop_029"
add dst-address=172.16.30.0/24 gateway=10.11.30.1 comment="northgate_annex_030"
add dst-address=172.16.31.0/24 gateway=10.11.31.1 comment="southpark_kiosk_031"
add dst-address=172.16.32.0/24 gateway=10.11.32.1 comment="fairhaven_school_032"
add dst-address=172.16.33.0/24 gateway=10.11.33.1 comment="northgate_clinic_033"
add dst-address=172.17.33.0/24 gateway=10.11.33.1 comment="northgate_clinic_033"
add dst-address=172.16.34.0/24 gateway=10.11.34.1 comment="southpark_office_034"
add dst-address=172.16.35.0/24 gateway=10.11.35.1 comment="fairhaven_depot_035"
add dst-address=172.16.36.0/24 gateway=10.11.36.1 comment="northgate_library_036"
add dst-address=172.16.37.0/24 gateway=10.11.37.1 comment="southpark_shop_037"
add dst-address=172.16.38.0/24 gateway=10.11.38.1 comment="fairhaven_annex_038"
add dst-address=172.16.39.0/24 gateway=10.11.39.1 comment="northgate_kiosk_039"
add dst-address=172.16.40.0/24 gateway=10.11.40.1 comment="southpark_school_040"
add dst-address=172.16.41.0/24 gateway=10.11.41.1 comment="fairhaven_clinic_041"
add dst-address=172.16.42.0/24 gateway=10.11.42.1 comment="northgate_office_042"
add dst-address=172.16.43.0/24 gateway=10.11.43.1 comment="southpark_depot_043"
add dst-address=172.17.43.0/24 gateway=10.11.43.1 comment="southpark_depot_043"
add dst-address=172.16.44.0/24 gateway=10.11.44.1 comment="fairhaven_library_044"
add dst-address=172.16.45.0/24 gateway=10.11.45.1 comment="northgate_shop_045"
add dst-address=172.16.46.0/24 gateway=10.11.46.1 comment="southpark_annex_046"
add dst-address=172.16.47.0/24 gateway=10.11.47.1 comment="fairhaven_kiosk_047"
add dst-address=172.16.48.0/24 gateway=10.11.48.1 comment="northgate_school_048"
add dst-address=172.16.49.0/24 gateway=10.11.49.1 comment="southpark_clinic_049"
add dst-address=172.16.50.0/24 gateway=10.11.50.1 comment="fairhaven_office_050"
add dst-address=172.16.51.0/24 gateway=10.11.51.1 comment="northgate_depot_051"
add dst-address=172.16.52.0/24 gateway=10.11.52.1 comment="southpark_library_052"
add dst-address=172.16.53.0/24 gateway=10.11.53.1 comment="fairhaven_shop_053"
add dst-address=172.17.53.0/24 gateway=10.11.53.1 comment="fairhaven_shop_053"
add dst-address=172.16.54.0/24 gateway=10.11.54.1 comment="northgate_annex_054"
add dst-address=172.16.55.0/24 gateway=10.11.55.1 comment="southpark_kiosk_055"
add dst-address=172.16.56.0/24 gateway=10.11.56.1 comment="fairhaven_school_056"
add dst-address=172.16.57.0/24 gateway=10.11.57.1 comment="northgate_clinic_057"
add dst-address=172.16.58.0/24 gateway=10.11.58.1 comment="southpark_office_058"
add dst-address=172.16.59.0/24 gateway=10.11.59.1 comment="fairhaven_depot_059"
add dst-address=172.16.60.0/24 gateway=10.11.60.1 comment="northgate_library_060"
add dst-address=172.16.61.0/24 gateway=10.11.61.1 comment="southpark_shop_061"
add dst-address=172.16.62.0/24 gateway=10.11.62.1 comment="fairhaven_annex_062"
add dst-address=172.16.63.0/24 gateway=10.11.0.1 comment="northgate_kiosk_063"
add dst-address=172.17.63.0/24 gateway=10.11.0.1 comment="northgate_kiosk_063"
add dst-address=172.16.64.0/24 gateway=10.11.1.1 comment="southpark_school_064"
add dst-address=172.16.65.0/24 gateway=10.11.2.1 comment="fairhaven_clinic_065"
add dst-address=172.16.66.0/24 gateway=10.11.3.1 comment="northgate_office_066"
add dst-address=172.16.67.0/24 gateway=10.11.4.1 comment="southpark_depot_067"
add dst-address=172.16.68.0/24 gateway=10.11.5.1 comment="fairhaven_library_068"
add dst-address=172.16.69.0/24 gateway=10.11.6.1 comment="northgate_shop_069"
add dst-address=172.16.70.0/24 gateway=10.11.7.1 comment="southpark_annex_070"
add dst-address=172.16.71.0/24 gateway=10.11.8.1 comment="fairhaven_kiosk_071"
add dst-address=172.16.72.0/24 gateway=10.11.9.1 comment="northgate_school_072"
add dst-address=172.16.73.0/24 gateway=10.11.10.1 comment="southpark_clinic_073"
add dst-address=172.17.73.0/24 gateway=10.11.10.1 comment="southpark_clinic_073"
add dst-address=172.16.74.0/24 gateway=10.11.11.1 comment="fairhaven_office_074"
add dst-address=172.16.75.0/24 gateway=10.11.12.1 comment="northgate_depot_075"
add dst-address=172.16.76.0/24 gateway=10.11.13.1 comment="southpark_library_076"
add dst-address=172.16.77.0/24 gateway=10.11.14.1 comment="fairhaven_shop_077"
add dst-address=172.16.78.0/24 gateway=10.11.15.1 comment="northgate_annex_078"
add dst-address=172.16.79.0/24 gateway=10.11.16.1 comment="southpark_kiosk_079"
add dst-address=172.16.80.0/24 gateway=10.11.17.1 comment="fairhaven_school_080"
add dst-address=172.16.81.0/24 gateway=10.11.18.1 comment="northgate_clinic_081"
add dst-address=172.16.82.0/24 gateway=10.11.19.1 comment="southpark_office_082"
add dst-address=172.16.83.0/24 gateway=10.11.20.1 comment="fairhaven_depot_083"
add dst-address=172.17.83.0/24 gateway=10.11.20.1 comment="fairhaven_depot_083"
add dst-address=172.16.84.0/24 gateway=10.11.21.1 comment="northgate_library_084"
add dst-address=172.16.85.0/24 gateway=10.11.22.1 comment="southpark_shop_085"
add dst-address=172.16.86.0/24 gateway=10.11.23.1 comment="fairhaven_annex_086"
add dst-address=172.16.87.0/24 gateway=10.11.24.1 comment="northgate_kiosk_087"
add dst-address=172.16.88.0/24 gateway=10.11.25.1 comment="southpark_school_088"
add dst-address=172.16.89.0/24 gateway=10.11.26.1 comment="fairhaven_clinic_089"
add dst-address=172.16.90.0/24 gateway=10.11.27.1 comment="northgate_office_090"
add dst-address=172.16.91.0/24 gateway=10.11.28.1 comment="southpark_depot_091"
add dst-address=172.16.92.0/24 gateway=10.11.29.1 comment="fairhaven_library_092"
add dst-address=172.16.93.0/24 gateway=10.11.30.1 comment="northgate_shop_093"
add dst-address=172.17.93.0/24 gateway=10.11.30.1 comment="northgate_shop_093"
add dst-address=172.16.94.0/24 gateway=10.11.31.1 comment="southpark_annex_094"
add dst-address=172.16.95.0/24 gateway=10.11.32.1 comment="fairhaven_kiosk_095"
add dst-address=172.16.96.0/24 gateway=10.11.33.1 comment="northgate_school_096"
add dst-address=172.16.97.0/24 gateway=10.11.34.1 comment="southpark_clinic_097"
add dst-address=172.16.98.0/24 gateway=10.11.35.1 comment="fairhaven_office_098"
add dst-address=172.16.99.0/24 gateway=10.11.36.1 comment="northgate_depot_099"
add dst-address=172.16.100.0/24 gateway=10.11.37.1 comment="southpark_library_100"
add dst-address=172.16.101.0/24 gateway=10.11.38.1 comment="fairhaven_shop_101"
add dst-address=172.16.102.0/24 gateway=10.11.39.1 comment="northgate_annex_102"
add dst-address=172.16.103.0/24 gateway=10.11.40.1 comment="southpark_kiosk_103"
add dst-address=172.17.103.0/24 gateway=10.11.40.1 comment="southpark_kiosk_103"
add dst-address=172.16.104.0/24 gateway=10.11.41.1 comment="fairhaven_school_104"
add dst-address=172.16.105.0/24 gateway=10.11.42.1 comment="northgate_clinic_105"
add dst-address=172.16.106.0/24 gateway=10.11.43.1 comment="southpark_office_106"
add dst-address=172.16.107.0/24 gateway=10.11.44.1 comment="fairhaven_depot_107"
add dst-address=172.16.108.0/24 gateway=10.11.45.1 comment="northgate_library_108"
add dst-address=172.16.109.0/24 gateway=10.11.46.1 comment="southpark_shop_109"
add dst-address=172.16.110.0/24 gateway=10.11.47.1 comment="fairhaven_annex_110"
add dst-address=172.16.111.0/24 gateway=10.11.48.1 comment="northgate_kiosk_111"
add dst-address=172.16.112.0/24 gateway=10.11.49.1 comment="southpark_school_112"
add dst-address=172.16.113.0/24 gateway=10.11.50.1 comment="fairhaven_clinic_113"
add dst-address=172.17.113.0/24 gateway=10.11.50.1 comment="fairhaven_clinic_113"
add dst-address=172.16.114.0/24 gateway=10.11.51.1 comment="northgate_office_114"
add dst-address=172.16.115.0/24 gateway=10.11.52.1 comment="southpark_depot_115"
add dst-address=172.16.116.0/24 gateway=10.11.53.1 comment="fairhaven_library_116"
add dst-address=172.16.117.0/24 gateway=10.11.54.1 comment="northgate_shop_117"
add dst-address=172.16.118.0/24 gateway=10.11.55.1 comment="southpark_annex_118"
add dst-address=172.16.119.0/24 gateway=10.11.56.1 comment="fairhaven_kiosk_119"
add dst-address=172.16.120.0/24 gateway=10.11.57.1 comment="northgate_school_120"
add dst-address=172.16.121.0/24 gateway=10.11.58.1 comment="southpark_clinic_121"
add dst-address=172.16.122.0/24 gateway=10.11.59.1 comment="fairhaven_office_122"
add dst-address=172.16.123.0/24 gateway=10.11.60.1 comment="northgate_depot_123"
add dst-address=172.17.123.0/24 gateway=10.11.60.1 comment="northgate_depot_123"
add dst-address=172.16.124.0/24 gateway=10.11.61.1 comment="southpark_library_124"
add dst-address=172.16.125.0/24 gateway=10.11.62.1 comment="fairhaven_shop_125"
add dst-address=172.16.126.0/24 gateway=10.11.0.1 comment="northgate_annex_126"
add dst-address=172.16.127.0/24 gateway=10.11.1.1 comment="southpark_kiosk_127"
add dst-address=172.16.128.0/24 gateway=10.11.2.1 comment="fairhaven_school_128"
add dst-address=172.16.129.0/24 gateway=10.11.3.1 comment="northgate_clinic_129"
add dst-address=172.16.130.0/24 gateway=10.11.4.1 comment="southpark_office_130"
add dst-address=172.16.131.0/24 gateway=10.11.5.1 comment="fairhaven_depot_131"
add dst-address=172.16.132.0/24 gateway=10.11.6.1 comment="northgate_library_132"
add dst-address=172.16.133.0/24 gateway=10.11.7.1 comment="southpark_shop_133"
add dst-address=172.17.133.0/24 gateway=10.11.7.1 comment="southpark_shop_133"
add dst-address=172.16.134.0/24 gateway=10.11.8.1 comment="fairhaven_annex_134"
add dst-address=172.16.135.0/24 gateway=10.11.9.1 comment="northgate_kiosk_135"
add dst-address=172.16.136.0/24 gateway=10.11.10.1 comment="southpark_school_136"
add dst-address=172.16.137.0/24 gateway=10.11.11.1 comment="fairhaven_clinic_137"
add dst-address=172.16.138.0/24 gateway=10.11.12.1 comment="northgate_office_138"
add dst-address=172.16.139.0/24 gateway=10.11.13.1 comment="southpark_depot_139"
add dst-address=172.16.140.0/24 gateway=10.11.14.1 comment="fairhaven_library_140"
add dst-address=172.16.141.0/24 gateway=10.11.15.1 comment="northgate_shop_141"
add dst-address=172.16.142.0/24 gateway=10.11.16.1 comment="southpark_annex_142"
add dst-address=172.16.143.0/24 gateway=10.11.17.1 comment="fairhaven_kiosk_143"
add dst-address=172.17.143.0/24 gateway=10.11.17.1 comment="fairhaven_kiosk_143"
add dst-address=172.16.144.0/24 gateway=10.11.18.1 comment="northgate_school_144"
add dst-address=172.16.145.0/24 gateway=10.11.19.1 comment="southpark_clinic_145"
add dst-address=172.16.146.0/24 gateway=10.11.20.1 comment="fairhaven_office_146"
add dst-address=172.16.147.0/24 gateway=10.11.21.1 comment="northgate_depot_147"
add dst-address=172.16.148.0/24 gateway=10.11.22.1 comment="southpark_library_148"
add dst-address=172.16.149.0/24 gateway=10.11.23.1 comment="fairhaven_shop_149"
add dst-address=192.168.10.0/24 gateway=10.11.12.1 comment="vps_school_annex"
/ip firewall filter
add action=accept chain=input protocol=icmp comment="allow ping"
add action=drop chain=forward connection-state=invalid comment="drop invalid"
/ip firewall nat
add action=masquerade chain=srcnat out-interface=VLAN3002 comment="defconf: masquerade"
