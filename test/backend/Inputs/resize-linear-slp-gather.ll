; ModuleID = "mlopt"
target triple = "x86_64-unknown-linux-gnu"
target datalayout = ""

@"__constant_3" = external constant [8 x float]
@"__constant_2" = external constant [8 x i64]
@"__constant_1" = external constant [8 x float]
@"__constant_0" = external constant [8 x i64]
define void @"test_resize_upsample_scales_linear"(ptr noalias %".1", ptr noalias %".2", ptr noalias %".3") nounwind
{
bb0:
  %".13" = call ccc ptr @"aligned_alloc"(i64 64, i64 64)
  br label %"bb1"
bb1:
  %".5" = phi  i64 [0, %"bb0"], [%".19", %"bb2"]
  %".15" = icmp slt i64 %".5", 8
  br i1 %".15", label %"bb2", label %"bb3"
bb2:
  %".17" = getelementptr inbounds float, ptr %".13", i64 %".5"
  store float              0x0, ptr %".17"
  %".19" = add nsw i64 %".5", 1
  br label %"bb1"
bb3:
  br label %"bb4"
bb4:
  %".6" = phi  i64 [0, %"bb3"], [%".70", %"bb11"]
  %".22" = icmp slt i64 %".6", 4
  br i1 %".22", label %"bb5", label %"bb12"
bb5:
  br label %"bb6"
bb6:
  %".7" = phi  i64 [0, %"bb5"], [%".68", %"bb10"]
  %".25" = icmp slt i64 %".7", 2
  br i1 %".25", label %"bb7", label %"bb11"
bb7:
  br label %"bb8"
bb8:
  %".8" = phi  i64 [0, %"bb7"], [%".66", %"bb9"]
  %".28" = icmp slt i64 %".8", 2
  br i1 %".28", label %"bb9", label %"bb10"
bb9:
  %".30" = mul nsw i64 %".6", 2
  %".31" = add nsw i64 %".30", %".7"
  %".32" = bitcast [8 x i64]* @"__constant_0" to i64*
  %".33" = getelementptr inbounds i64, i64* %".32", i64 %".31"
  %".34" = load i64, i64* %".33"
  %".35" = mul nsw i64 %".6", 2
  %".36" = add nsw i64 %".35", %".7"
  %".37" = bitcast [8 x float]* @"__constant_1" to float*
  %".38" = getelementptr inbounds float, float* %".37", i64 %".36"
  %".39" = load float, float* %".38"
  %".40" = mul nsw i64 0, 8
  %".41" = mul nsw i64 0, 8
  %".42" = add nsw i64 %".40", %".41"
  %".43" = mul nsw i64 %".6", 2
  %".44" = add nsw i64 %".42", %".43"
  %".45" = add nsw i64 %".44", %".8"
  %".46" = getelementptr inbounds float, ptr %".13", i64 %".45"
  %".47" = load float, ptr %".46"
  %".48" = mul nsw i64 0, 4
  %".49" = mul nsw i64 0, 4
  %".50" = add nsw i64 %".48", %".49"
  %".51" = mul nsw i64 %".34", 2
  %".52" = add nsw i64 %".50", %".51"
  %".53" = add nsw i64 %".52", %".8"
  %".54" = getelementptr inbounds float, ptr %".1", i64 %".53"
  %".55" = load float, ptr %".54"
  %".56" = fmul contract float %".39", %".55"
  %".57" = fadd contract float %".47", %".56"
  %".58" = mul nsw i64 0, 8
  %".59" = mul nsw i64 0, 8
  %".60" = add nsw i64 %".58", %".59"
  %".61" = mul nsw i64 %".6", 2
  %".62" = add nsw i64 %".60", %".61"
  %".63" = add nsw i64 %".62", %".8"
  %".64" = getelementptr inbounds float, ptr %".13", i64 %".63"
  store float %".57", ptr %".64"
  %".66" = add nsw i64 %".8", 1
  br label %"bb8"
bb10:
  %".68" = add nsw i64 %".7", 1
  br label %"bb6"
bb11:
  %".70" = add nsw i64 %".6", 1
  br label %"bb4"
bb12:
  br label %"bb13"
bb13:
  %".9" = phi  i64 [0, %"bb12"], [%".77", %"bb14"]
  %".73" = icmp slt i64 %".9", 16
  br i1 %".73", label %"bb14", label %"bb15"
bb14:
  %".75" = getelementptr inbounds float, ptr %".3", i64 %".9"
  store float              0x0, ptr %".75"
  %".77" = add nsw i64 %".9", 1
  br label %"bb13"
bb15:
  br label %"bb16"
bb16:
  %".10" = phi  i64 [0, %"bb15"], [%".128", %"bb23"]
  %".80" = icmp slt i64 %".10", 4
  br i1 %".80", label %"bb17", label %"bb24"
bb17:
  br label %"bb18"
bb18:
  %".11" = phi  i64 [0, %"bb17"], [%".126", %"bb22"]
  %".83" = icmp slt i64 %".11", 2
  br i1 %".83", label %"bb19", label %"bb23"
bb19:
  br label %"bb20"
bb20:
  %".12" = phi  i64 [0, %"bb19"], [%".124", %"bb21"]
  %".86" = icmp slt i64 %".12", 4
  br i1 %".86", label %"bb21", label %"bb22"
bb21:
  %".88" = mul nsw i64 %".11", 4
  %".89" = add nsw i64 %".88", %".12"
  %".90" = bitcast [8 x i64]* @"__constant_2" to i64*
  %".91" = getelementptr inbounds i64, i64* %".90", i64 %".89"
  %".92" = load i64, i64* %".91"
  %".93" = mul nsw i64 %".11", 4
  %".94" = add nsw i64 %".93", %".12"
  %".95" = bitcast [8 x float]* @"__constant_3" to float*
  %".96" = getelementptr inbounds float, float* %".95", i64 %".94"
  %".97" = load float, float* %".96"
  %".98" = mul nsw i64 0, 16
  %".99" = mul nsw i64 0, 16
  %".100" = add nsw i64 %".98", %".99"
  %".101" = mul nsw i64 %".10", 4
  %".102" = add nsw i64 %".100", %".101"
  %".103" = add nsw i64 %".102", %".12"
  %".104" = getelementptr inbounds float, ptr %".3", i64 %".103"
  %".105" = load float, ptr %".104"
  %".106" = mul nsw i64 0, 8
  %".107" = mul nsw i64 0, 8
  %".108" = add nsw i64 %".106", %".107"
  %".109" = mul nsw i64 %".10", 2
  %".110" = add nsw i64 %".108", %".109"
  %".111" = add nsw i64 %".110", %".92"
  %".112" = getelementptr inbounds float, ptr %".13", i64 %".111"
  %".113" = load float, ptr %".112"
  %".114" = fmul contract float %".97", %".113"
  %".115" = fadd contract float %".105", %".114"
  %".116" = mul nsw i64 0, 16
  %".117" = mul nsw i64 0, 16
  %".118" = add nsw i64 %".116", %".117"
  %".119" = mul nsw i64 %".10", 4
  %".120" = add nsw i64 %".118", %".119"
  %".121" = add nsw i64 %".120", %".12"
  %".122" = getelementptr inbounds float, ptr %".3", i64 %".121"
  store float %".115", ptr %".122"
  %".124" = add nsw i64 %".12", 1
  br label %"bb20"
bb22:
  %".126" = add nsw i64 %".11", 1
  br label %"bb18"
bb23:
  %".128" = add nsw i64 %".10", 1
  br label %"bb16"
bb24:
  call ccc void @"free"(ptr %".13")
  ret void
}

declare ptr @"aligned_alloc"(i64 %".1", i64 %".2") nounwind

declare void @"free"(ptr %".1") nounwind
